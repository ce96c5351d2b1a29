/* The mps2-an500 firmware's Cortex-M7 specifics, for its own suites. */
#ifndef DMABUF_TARGET_CORTEX_M7_H
#define DMABUF_TARGET_CORTEX_M7_H

#include <stdbool.h>
#include <stdint.h>

#include "dmabuf/ownership.h"
#include "target.h"

/* MPU region 0 makes the board's "psram-uncached" region Normal non-cacheable;
 * strict ownership uses the regions above it. */
#define TARGET_MPU_FIRST_OWNERSHIP_REGION 1u

/* The strict-ownership state the MPU backend works on (its priv). */
extern struct dmabuf_mpu_ownership target_mpu;

/* Faults reported by dmabuf_mpu_fault since start, and the last one. */
uint32_t target_mpu_faults(struct dmabuf_mpu_fault *last);

/* Fault handlers: true if the fault was a stray access to a device-owned
 * buffer (now reported and retried). */
bool target_mpu_fault_handled(void);

/* Print @why and end the run with a failure exit status. */
__attribute__((noreturn)) void target_fatal(const char *why);

#endif /* DMABUF_TARGET_CORTEX_M7_H */
