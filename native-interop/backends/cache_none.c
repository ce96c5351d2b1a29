/*
 * The backend for SoCs without a data cache, or builds whose DMA memory is
 * all uncached: there is nothing to write back or discard. The whole-cache
 * operations are left out (optional), so the core always takes the range
 * path and its line counters still show what a cached part would have done.
 */
#include "dmabuf/cache.h"

static int none_range(void *priv, void *addr, size_t size, uint32_t line)
{
	(void)priv;
	(void)addr;
	(void)size;
	(void)line;
	return 0;
}

const struct dmabuf_cache_ops dmabuf_cache_none = {
	.clean_range = none_range,
	.invalidate_range = none_range,
};
