/*
 * Inside the host library only (not P/Invoke): the parts of a heap that the
 * other host exports build on (peripherals_host.c drives the heap's simulated
 * SoC and makes fences in its pool).
 */
#ifndef DMABUF_HOST_INTERNAL_H
#define DMABUF_HOST_INTERNAL_H

#include <stdint.h>

#include "dmabuf/dmabuf.h"
#include "dmabuf/fence.h"
#include "dmabuf/resv.h"
#include "sim.h"

/* Borrowed pointers, valid until the heap is closed. */
struct dmabuf_host_heap_parts {
	struct sim_soc *soc;
	struct sim_cache_backend *cache;
	struct dmabuf_ctx *ctx;
	struct dmabuf_fence_pool *fences;
	struct dmabuf_resv_table *resv;
};

/* The parts of heap @heap. Starts a call like every export (clears the
 * thread's last message). @retval 0 and *out filled; -EBADF; -EINVAL @out NULL. */
int dmabuf_host_heap_parts(int32_t heap, struct dmabuf_host_heap_parts *out);

/* The sink of every debug message of the host library: the calling
 * thread's last message (dmabuf_host_take_last_message). */
void dmabuf_host_report(void *user, const char *message);

#endif /* DMABUF_HOST_INTERNAL_H */
