/*
 * ESP32-family data cache maintenance through ESP-IDF's esp_cache_msync
 * (components/esp_mm/include/esp_cache.h).
 *
 * NOT COMPILED ON CI: there is no ESP-IDF (nor Xtensa toolchain) on the build
 * machines. Compiled by hand for esp32p4 against ESP-IDF v5.5.4
 * (docs/FIRMWARE-BUILDS.md) and by the nf-interpreter ESP32 build, which defines DMABUF_BACKEND_ESP.
 *
 * Directions map one to one (DESIGN.md): clean = C2M (writeback), invalidate
 * = M2C. ESP_CACHE_MSYNC_FLAG_UNALIGNED is deliberately not passed: the core
 * only hands over whole lines (allocation is line-aligned and line-padded),
 * so an unaligned range here is a core bug and esp_cache_msync rejecting it
 * with ESP_ERR_INVALID_ARG is the right outcome.
 *
 * On a chip without cache writeback (classic ESP32) C2M returns ESP_OK and
 * does nothing, which is right because its DMA memory is uncached anyway.
 * An address outside any cacheable range returns ESP_ERR_NOT_SUPPORTED: the
 * board described such a region as cacheable, which is a board error.
 *
 * No whole-cache operations: esp_mm, the public cache API, has none,
 * so clean_all / clean_invalidate_all stay NULL (the boards set
 * whole_cache_threshold 0).
 *
 * @priv: unused.
 */
#if defined(DMABUF_BACKEND_ESP)

#include "esp_cache.h"
#include "esp_err.h"

#include "dmabuf/cache.h"
#include "dmabuf/errors.h"

static int from_esp_err(esp_err_t err)
{
	switch (err) {
	case ESP_OK:
		return 0;
	case ESP_ERR_NOT_SUPPORTED:
		return DMABUF_ENOTSUP;
	default:
		return DMABUF_EINVAL;
	}
}

static int clean_range(void *priv, void *addr, size_t size, uint32_t line)
{
	(void)priv;
	(void)line;
	return from_esp_err(esp_cache_msync(addr, size, ESP_CACHE_MSYNC_FLAG_DIR_C2M));
}

static int invalidate_range(void *priv, void *addr, size_t size, uint32_t line)
{
	(void)priv;
	(void)line;
	return from_esp_err(esp_cache_msync(addr, size, ESP_CACHE_MSYNC_FLAG_DIR_M2C));
}

const struct dmabuf_cache_ops dmabuf_cache_esp = {
	.clean_range = clean_range,
	.invalidate_range = invalidate_range,
};

#endif /* DMABUF_BACKEND_ESP */
