/*
 * Cache backend contract.
 *
 * Three levels, as in Zephyr: the core decides *when* and *which lines*
 * (native-interop/core), this contract says *how* a backend is called, and a
 * per-SoC backend (native-interop/backends) is a few lines of instructions.
 *
 * Directions are named after the data flow (ESP-IDF's C2M / M2C):
 *   clean      = cache to memory: dirty lines are written back, stay valid.
 *   invalidate = memory to cache: lines are DISCARDED, dirty data included.
 *                Destructive: the core only invalidates lines that belong
 *                wholly to one buffer (allocation is line-aligned and padded).
 *
 * Every member is called with the core's lock held, never from an ISR, with
 * @addr and @size multiples of the region's cache line and @size > 0.
 */
#ifndef DMABUF_CACHE_H
#define DMABUF_CACHE_H

#include <stddef.h>
#include <stdint.h>

struct dmabuf_cache_ops {
	/* Mandatory. Clean (C2M) the lines of [addr, addr + size).
	 * Returns 0 or a negative dmabuf_error. Completes before returning
	 * (Cortex-M7: DSB after the loop). */
	int (*clean_range)(void *priv, void *addr, size_t size, uint32_t line);

	/* Mandatory. Invalidate (M2C) the lines of [addr, addr + size). */
	int (*invalidate_range)(void *priv, void *addr, size_t size, uint32_t line);

	/* Optional (NULL = -ENOTSUP; the core falls back to the range loop).
	 * Clean the whole data cache. */
	int (*clean_all)(void *priv);

	/* Optional. Clean then invalidate the whole data cache. Used in place of
	 * a large invalidate: a whole-cache *invalidate* would destroy other
	 * owners' dirty data, so it is never offered. */
	int (*clean_invalidate_all)(void *priv);
};

/* Backends. Each is defined only where it can be built. */

/* No data cache (or all DMA memory uncached): every operation is a no-op. */
extern const struct dmabuf_cache_ops dmabuf_cache_none;

#if defined(DMABUF_BACKEND_CORTEX_M7)
/* Cortex-M7 SCB: DCCMVAC / DCIMVAC by address, set/way for the whole cache.
 * priv: the board; its dcache_size gives the set/way geometry when CCSIDR
 * reads 0 (QEMU). */
extern const struct dmabuf_cache_ops dmabuf_cache_cortex_m7;
#endif

#if defined(DMABUF_BACKEND_ESP)
/* ESP-IDF esp_cache_msync (C2M / M2C). */
extern const struct dmabuf_cache_ops dmabuf_cache_esp;
#endif

#endif /* DMABUF_CACHE_H */
