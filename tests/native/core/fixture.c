#include "fixture.h"

#include <string.h>

#define KIB 1024u

static _Alignas(64) uint8_t sram_memory[192 * KIB];
static _Alignas(64) uint8_t dtcm_memory[8 * KIB];
static _Alignas(64) uint8_t sram_nc_memory[32 * KIB];
static _Alignas(64) uint8_t psram_memory[64 * KIB];

static void *const region_memory[FX_REGION_COUNT] = { sram_memory, dtcm_memory, sram_nc_memory, psram_memory };

static const struct dmabuf_region_desc regions[FX_REGION_COUNT] = {
	[FX_SRAM] = { "sram", FX_SRAM_BASE, sizeof(sram_memory), DMABUF_REGION_CACHEABLE, 32 },
	[FX_DTCM] = { "dtcm", FX_DTCM_BASE, sizeof(dtcm_memory), 0, 32 },
	[FX_SRAM_NC] = { "sram_nc", FX_SRAM_NC_BASE, sizeof(sram_nc_memory), 0, 32 },
	[FX_PSRAM] = { "psram", FX_PSRAM_BASE, sizeof(psram_memory), DMABUF_REGION_CACHEABLE, 64 },
};

static const struct dmabuf_window win_sram = { FX_SRAM_BASE, sizeof(sram_memory) };
static const struct dmabuf_window win_dma[] = {
	{ FX_SRAM_BASE, sizeof(sram_memory) },
	{ FX_SRAM_NC_BASE, sizeof(sram_nc_memory) },
	{ FX_PSRAM_BASE, sizeof(psram_memory) },
};
static const struct dmabuf_window win_gdma[] = {
	{ FX_SRAM_BASE, sizeof(sram_memory) },
	{ FX_SRAM_NC_BASE, sizeof(sram_nc_memory) },
};
static const struct dmabuf_window win_all = { 0x00000000u, 0xFFFFFFFFu };
static const struct dmabuf_window win_dma2[] = {
	{ FX_SRAM_NC_BASE, sizeof(sram_nc_memory) },
	{ FX_PSRAM_BASE, sizeof(psram_memory) },
};
static const struct dmabuf_window win_wide_ps[] = {
	{ FX_SRAM_BASE, sizeof(sram_memory) },
	{ FX_PSRAM_BASE, sizeof(psram_memory) },
};
static const struct dmabuf_window win_mdma[] = {
	{ FX_DTCM_BASE, sizeof(dtcm_memory) },
	{ FX_SRAM_BASE, sizeof(sram_memory) },
};

static const struct dmabuf_device_desc devices[FX_DEVICE_COUNT] = {
	[FX_DMA] = { "dma", win_dma, 3, 4, 65535, 0, 0 },
	[FX_GDMA] = { "gdma", win_gdma, 2, 4, 4095, 16, 0 },
	[FX_SNOOP] = { "snoop", &win_all, 1, 1, 0xFFFFFFFFu, 0, 1 },
	[FX_DMA2] = { "dma2", win_dma2, 2, 4, 65535, 0, 0 },
	[FX_WIDE] = { "wide", &win_sram, 1, 64, 65535, 0, 0 },
	[FX_WIDE_PS] = { "wide_ps", win_wide_ps, 2, 64, 65535, 0, 0 },
	[FX_MDMA] = { "mdma", win_mdma, 2, 4, 65535, 0, 0 },
};

const struct dmabuf_board fx_board = {
	.name = "fixture",
	.description = "core test board",
	.regions = regions,
	.region_count = FX_REGION_COUNT,
	.devices = devices,
	.device_count = FX_DEVICE_COUNT,
	.dcache_size = 16 * KIB,
	.whole_cache_threshold = 0,
};

/* fx_board with the options' threshold. */
static struct dmabuf_board board_variant;

uint8_t *fx_region_memory(enum fx_region region)
{
	return region_memory[region];
}

/* ---- recording cache backend ------------------------------------------- */

struct fx_cache fx_cache;

static bool take_failure(int *err)
{
	*err = fx_cache.fail_next;
	fx_cache.fail_next = 0;
	return *err != 0;
}

static void check_range(void *addr, size_t size, uint32_t line)
{
	uintptr_t at = (uintptr_t)addr;
	for (uint32_t r = 0; r < FX_REGION_COUNT; r++) {
		uintptr_t base = (uintptr_t)region_memory[r];
		if (at < base || at - base >= regions[r].size)
			continue;
		if (!(regions[r].flags & DMABUF_REGION_CACHEABLE) || line != regions[r].cache_line ||
		    at % line != 0 || size == 0 || size % line != 0 || size > regions[r].size - (at - base)) {
			fx_cache.violations++;
			unit_fail(__FILE__, __LINE__, "cache op on an unaligned, uncached or out-of-region range",
				  (long long)size, (long long)line);
		}
		return;
	}
	fx_cache.violations++;
	unit_fail(__FILE__, __LINE__, "cache op outside every region", (long long)size, 0);
}

/* None unless the target defines them (weak, so a strong definition wins). */
__attribute__((weak)) const struct dmabuf_cache_ops *fx_platform_cache;
__attribute__((weak)) void *fx_platform_cache_priv;

/* Count one range operation in *@calls and *@lines: 0, or the injected
 * failure (then nothing is counted). */
static int record_range(uint32_t *calls, uint32_t *lines, void *addr, size_t size, uint32_t line)
{
	int err;
	if (take_failure(&err))
		return err;
	check_range(addr, size, line);
	(*calls)++;
	*lines += (uint32_t)(size / line);
	fx_cache.last_addr = (uintptr_t)addr;
	fx_cache.last_size = (uint32_t)size;
	return 0;
}

static int record_clean(void *priv, void *addr, size_t size, uint32_t line)
{
	(void)priv;
	int err = record_range(&fx_cache.clean_calls, &fx_cache.lines_cleaned, addr, size, line);
	if (err || !fx_platform_cache)
		return err;
	return fx_platform_cache->clean_range(fx_platform_cache_priv, addr, size, line);
}

static int record_invalidate(void *priv, void *addr, size_t size, uint32_t line)
{
	(void)priv;
	int err = record_range(&fx_cache.invalidate_calls, &fx_cache.lines_invalidated, addr, size, line);
	if (err || !fx_platform_cache)
		return err;
	return fx_platform_cache->invalidate_range(fx_platform_cache_priv, addr, size, line);
}

/* Count one whole-cache operation in *@calls, then do @platform_op if the
 * platform has it (it may not: the core's call stands for it anyway). */
static int record_whole(uint32_t *calls, int (*platform_op)(void *))
{
	int err;
	if (take_failure(&err))
		return err;
	(*calls)++;
	return platform_op ? platform_op(fx_platform_cache_priv) : 0;
}

static int record_clean_all(void *priv)
{
	(void)priv;
	return record_whole(&fx_cache.clean_all_calls, fx_platform_cache ? fx_platform_cache->clean_all : NULL);
}

static int record_clean_invalidate_all(void *priv)
{
	(void)priv;
	return record_whole(&fx_cache.clean_invalidate_all_calls,
			    fx_platform_cache ? fx_platform_cache->clean_invalidate_all : NULL);
}

static const struct dmabuf_cache_ops recording_ranges_only = {
	.clean_range = record_clean,
	.invalidate_range = record_invalidate,
};

static const struct dmabuf_cache_ops recording_with_whole = {
	.clean_range = record_clean,
	.invalidate_range = record_invalidate,
	.clean_all = record_clean_all,
	.clean_invalidate_all = record_clean_invalidate_all,
};

/* ---- report hook ---------------------------------------------------------- */

char fx_message[256];
uint32_t fx_messages;

static void record_message(void *user, const char *message)
{
	(void)user;
	strncpy(fx_message, message, sizeof(fx_message) - 1);
	fx_message[sizeof(fx_message) - 1] = '\0';
	fx_messages++;
}

void fx_clear_messages(void)
{
	fx_message[0] = '\0';
	fx_messages = 0;
}

bool fx_message_has(const char *needle)
{
#ifdef DMABUF_DEBUG
	return strstr(fx_message, needle) != NULL;
#else
	(void)needle;
	return true;
#endif
}

/* ---- context ------------------------------------------------------------ */

/* Big enough for 512 buffers and 512 attachments over fx_board. */
static uint64_t storage[8192];

struct dmabuf_config fx_config;

struct dmabuf_ctx *fx_init(const struct fx_options *options)
{
	static const struct fx_options defaults;
	if (!options)
		options = &defaults;
	board_variant = fx_board;
	board_variant.whole_cache_threshold = options->whole_cache_threshold;
	fx_config = (struct dmabuf_config){
		.board = &board_variant,
		.region_memory = region_memory,
		.cache = options->whole_cache_ops ? &recording_with_whole : &recording_ranges_only,
		.max_buffers = options->max_buffers ? options->max_buffers : 16,
		.max_attachments = options->max_attachments ? options->max_attachments : 32,
		.checker = !options->checker_off,
		.report = record_message,
	};
	memset(&fx_cache, 0, sizeof(fx_cache));
	fx_clear_messages();

	size_t need = dmabuf_storage_size(&fx_config);
	if (need == 0 || need > sizeof(storage)) {
		unit_fail(__FILE__, __LINE__, "fixture storage too small", (long long)need, (long long)sizeof(storage));
		return NULL;
	}
	struct dmabuf_ctx *ctx = NULL;
	int err = dmabuf_init(&ctx, storage, sizeof(storage), &fx_config);
	if (err) {
		unit_fail(__FILE__, __LINE__, "dmabuf_init", err, 0);
		return NULL;
	}
	return ctx;
}

void fx_done(struct dmabuf_ctx *ctx)
{
	if (!ctx)
		return;
	int err = dmabuf_check(ctx);
	if (err)
		unit_fail(__FILE__, __LINE__, fx_message, err, 0);
	err = dmabuf_deinit(ctx);
	if (err)
		unit_fail(__FILE__, __LINE__, "dmabuf_deinit: buffers left alive", err, 0);
	if (fx_cache.violations)
		unit_fail(__FILE__, __LINE__, "cache backend violations", fx_cache.violations, 0);
}

void fx_cache_reset(struct dmabuf_ctx *ctx)
{
	memset(&fx_cache, 0, sizeof(fx_cache));
	dmabuf_cache_stats_reset(ctx);
}

dmabuf_handle_t fx_export(struct dmabuf_ctx *ctx, uint32_t size, const char *name, uint32_t flags)
{
	dmabuf_handle_t handle = 0;
	int err = dmabuf_export(ctx, size, name, flags, &handle);
	if (err)
		unit_fail(__FILE__, __LINE__, "dmabuf_export", err, 0);
	return handle;
}

dmabuf_handle_t fx_attach(struct dmabuf_ctx *ctx, dmabuf_handle_t buffer, enum fx_device device)
{
	dmabuf_handle_t handle = 0;
	int err = dmabuf_attach(ctx, buffer, (int)device, &handle);
	if (err)
		unit_fail(__FILE__, __LINE__, "dmabuf_attach", err, 0);
	return handle;
}

struct dmabuf_info fx_info(struct dmabuf_ctx *ctx, dmabuf_handle_t buffer)
{
	struct dmabuf_info info;
	memset(&info, 0, sizeof(info));
	int err = dmabuf_get_info(ctx, buffer, &info);
	if (err)
		unit_fail(__FILE__, __LINE__, "dmabuf_get_info", err, 0);
	return info;
}

uint32_t fx_random(uint32_t *state)
{
	uint32_t x = *state;
	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	*state = x;
	return x;
}
