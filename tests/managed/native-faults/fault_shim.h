/* The hand-written half of the fault-injection shim (fault_shim.c). */
#ifndef FAULT_SHIM_H
#define FAULT_SHIM_H

#include <stdbool.h>
#include <stdint.h>

#include "dmabuf_host.h"
#include "peripherals_host.h"

/* True once, for the entry point armed on this thread (then disarmed). */
bool fault_fire(const char *entry);
/* The armed error. */
int32_t fault_error(void);
/* The real library's @entry (aborts if missing: the shim is out of date). */
void *fault_real_symbol(const char *entry);

/* Arm @entry to fail once with @error on the calling thread. */
DMABUF_HOST_API void dmabuf_faults_arm(const char *entry, int32_t error);
/* Disarm; 1 if the armed entry was called since dmabuf_faults_arm, else 0. */
DMABUF_HOST_API int32_t dmabuf_faults_disarm(void);

#endif /* FAULT_SHIM_H */
