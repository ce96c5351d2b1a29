/*
 * CPU copy counter: bytes the CPU moved from one memory to another on behalf
 * of the DmaBuf API (CpuAccess Read / Write / CopyTo in the interop layers,
 * and the frame copy, sprite and row-read kernels of frame.h). The counterpart
 * of dmabuf_cache_stats: together they say what a hand-over cost, so a
 * "zero-copy" claim is counted, not asserted.
 *
 * Who counts: whoever does the copy calls dmabuf_cpu_copy_count once per
 * copy with the bytes written to the destination. The core itself copies
 * only when it migrates storage (sync.c rule 7); that is placement, not a
 * hand-over, and is not counted here.
 *
 * Threading: takes the context lock; not from an ISR.
 */
#ifndef DMABUF_CPU_COPY_H
#define DMABUF_CPU_COPY_H

#include <stdint.h>

#include "dmabuf.h"

#ifdef __cplusplus
/* struct dmabuf_cpu_copy_stats and dmabuf_cpu_copy_stats(): one name in C,
 * "hides the constructor" for C++'s -Wshadow (as in dmabuf.h). */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wshadow"
extern "C" {
#endif

struct dmabuf_cpu_copy_stats {
	uint64_t bytes;   /* bytes written to destinations by CPU copies */
	uint32_t copies;  /* copy operations counted */
};

/* Count one CPU copy of @bytes bytes (0 counts a copy of nothing). A NULL or
 * dead @ctx is a no-op (the rule "NULL and dead objects", dmabuf.h). */
void dmabuf_cpu_copy_count(struct dmabuf_ctx *ctx, uint32_t bytes);

/* The counts since init, the last dmabuf_cpu_copy_stats_reset or dmabuf_reset. */
void dmabuf_cpu_copy_stats(const struct dmabuf_ctx *ctx, struct dmabuf_cpu_copy_stats *out);
void dmabuf_cpu_copy_stats_reset(struct dmabuf_ctx *ctx);

#ifdef __cplusplus
}
#pragma GCC diagnostic pop
#endif

#endif /* DMABUF_CPU_COPY_H */
