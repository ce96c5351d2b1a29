/*
 * The fuzzer's board, memory and recording stand-ins (fuzz_env.h).
 */
#include "fuzz_env.h"

#include <string.h>

#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define FUZZ_ASAN 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__) && !defined(FUZZ_ASAN)
#define FUZZ_ASAN 1
#endif

#ifdef FUZZ_ASAN
#include <sanitizer/asan_interface.h>
#define POISON(addr, size) __asan_poison_memory_region((addr), (size))
#define UNPOISON(addr, size) __asan_unpoison_memory_region((addr), (size))
/* The fuzzer itself must write canaries into poisoned memory. */
#define NO_ASAN __attribute__((no_sanitize_address))
#else
#define POISON(addr, size) ((void)(addr), (void)(size))
#define UNPOISON(addr, size) ((void)(addr), (void)(size))
#define NO_ASAN
#endif

/* The canary scan runs after every call: kept out of libFuzzer's comparison
 * tracing, which would otherwise cost more than everything else together. */
#if defined(__clang__)
#define NO_COVERAGE __attribute__((no_sanitize("coverage")))
#else
#define NO_COVERAGE
#endif

static _Alignas(64) uint8_t sram[4096];
static _Alignas(64) uint8_t dtcm[1024];
static _Alignas(64) uint8_t nc[2048];
static _Alignas(64) uint8_t psram[8192];

void *const fuzz_region_memory[FUZZ_REGION_COUNT] = { sram, dtcm, nc, psram };

const struct dmabuf_region_desc fuzz_regions[FUZZ_REGION_COUNT] = {
	[FUZZ_SRAM] = { "sram", 0x20000000u, sizeof(sram), DMABUF_REGION_CACHEABLE, 32 },
	[FUZZ_DTCM] = { "dtcm", 0x10000000u, sizeof(dtcm), 0, 32 },
	[FUZZ_NC] = { "nc", 0x30000000u, sizeof(nc), 0, 16 },
	[FUZZ_PSRAM] = { "psram", 0x60000000u, sizeof(psram), DMABUF_REGION_CACHEABLE, 64 },
};

static const struct dmabuf_window win_dma[] = {
	{ 0x20000000u, sizeof(sram) }, { 0x30000000u, sizeof(nc) }, { 0x60000000u, sizeof(psram) } };
static const struct dmabuf_window win_gdma[] = { { 0x20000000u, sizeof(sram) }, { 0x30000000u, sizeof(nc) } };
static const struct dmabuf_window win_all[] = { { 0x00000000u, 0xFFFFFFFFu } };
static const struct dmabuf_window win_dma2[] = { { 0x30000000u, sizeof(nc) }, { 0x60000000u, sizeof(psram) } };
static const struct dmabuf_window win_wide[] = { { 0x20000000u, sizeof(sram) } };
static const struct dmabuf_window win_mdma[] = { { 0x10000000u, sizeof(dtcm) }, { 0x20000000u, sizeof(sram) } };
static const struct dmabuf_window win_part[] = { { 0x60000000u, sizeof(psram) / 2 } };
static const struct dmabuf_window win_upper[] = {
	{ 0x20000000u + sizeof(sram) / 2, sizeof(sram) / 2 }, { 0x30000000u, sizeof(nc) } };

const struct dmabuf_device_desc fuzz_devices[FUZZ_DEVICE_COUNT] = {
	{ "dma", win_dma, 3, 4, 65535, 0, 0 },
	{ "gdma", win_gdma, 2, 4, 255, 8, 0 },
	{ "snoop", win_all, 1, 1, 0xFFFFFFFFu, 0, 1 },
	{ "dma2", win_dma2, 2, 4, 65535, 0, 0 },
	{ "wide", win_wide, 1, 64, 65535, 0, 0 },
	{ "mdma", win_mdma, 2, 4, 65535, 0, 1 },
	{ "part", win_part, 1, 16, 100, 0, 0 },
	{ "upper", win_upper, 2, 8, 1000, 3, 1 },
};

static struct dmabuf_board board;

const struct dmabuf_board *fuzz_board(uint32_t whole_cache_threshold)
{
	board = (struct dmabuf_board){
		.name = "fuzz",
		.description = "API sequence fuzzer board",
		.regions = fuzz_regions,
		.region_count = FUZZ_REGION_COUNT,
		.devices = fuzz_devices,
		.device_count = FUZZ_DEVICE_COUNT,
		.dcache_size = 4096,
		.whole_cache_threshold = whole_cache_threshold,
	};
	return &board;
}

uint8_t *fuzz_bus_to_cpu(dmabuf_addr_t addr, uint32_t bytes)
{
	for (uint32_t r = 0; r < FUZZ_REGION_COUNT; r++) {
		const struct dmabuf_region_desc *region = &fuzz_regions[r];
		if (addr >= region->bus_base && (uint64_t)addr + bytes <= (uint64_t)region->bus_base + region->size)
			return (uint8_t *)fuzz_region_memory[r] + (addr - region->bus_base);
	}
	return NULL;
}

/* ---- cache backend -------------------------------------------------------- */

struct fuzz_cache fuzz_cache;

static int record(enum fuzz_cache_kind kind, void *addr, size_t size, uint32_t line)
{
	int err = fuzz_cache.fail_next;
	fuzz_cache.fail_next = 0;
	if (fuzz_cache.count < FUZZ_CACHE_LOG)
		fuzz_cache.log[fuzz_cache.count] = (struct fuzz_cache_op){ kind, (uintptr_t)addr, size, line };
	fuzz_cache.count++;
	return err;
}

static int clean_range(void *priv, void *addr, size_t size, uint32_t line)
{
	(void)priv;
	return record(FUZZ_CLEAN, addr, size, line);
}

static int invalidate_range(void *priv, void *addr, size_t size, uint32_t line)
{
	(void)priv;
	return record(FUZZ_INVALIDATE, addr, size, line);
}

static int clean_all(void *priv)
{
	(void)priv;
	return record(FUZZ_CLEAN_ALL, NULL, 0, 0);
}

static int clean_invalidate_all(void *priv)
{
	(void)priv;
	return record(FUZZ_CLEAN_INVALIDATE_ALL, NULL, 0, 0);
}

const struct dmabuf_cache_ops fuzz_cache_ranges_only = {
	.clean_range = clean_range,
	.invalidate_range = invalidate_range,
};

const struct dmabuf_cache_ops fuzz_cache_with_whole = {
	.clean_range = clean_range,
	.invalidate_range = invalidate_range,
	.clean_all = clean_all,
	.clean_invalidate_all = clean_invalidate_all,
};

/* ---- ownership hook --------------------------------------------------------- */

struct fuzz_ownership fuzz_ownership;

static void ownership_record(bool device_owned, void *cpu, size_t size)
{
	if (fuzz_ownership.count < FUZZ_OWNERSHIP_LOG)
		fuzz_ownership.log[fuzz_ownership.count] = (struct fuzz_ownership_call){ device_owned, (uintptr_t)cpu, size };
	fuzz_ownership.count++;
}

static int device_owned(void *priv, void *cpu, size_t size, const char *name)
{
	(void)priv;
	(void)name;
	ownership_record(true, cpu, size);
	return fuzz_ownership.device_owned_result;
}

static void cpu_owned(void *priv, void *cpu, size_t size)
{
	(void)priv;
	ownership_record(false, cpu, size);
}

const struct dmabuf_ownership_ops fuzz_ownership_ops = {
	.device_owned = device_owned,
	.cpu_owned = cpu_owned,
};

/* ---- report sinks --------------------------------------------------------- */

uint32_t fuzz_messages[FUZZ_SINK_COUNT];
char fuzz_last_message[200];
int fuzz_sink_ids[FUZZ_SINK_COUNT] = { FUZZ_SINK_CTX, FUZZ_SINK_POOL, FUZZ_SINK_QUEUE, FUZZ_SINK_FALLBACK };

void fuzz_report(void *sink, const char *message)
{
	fuzz_messages[*(const int *)sink]++;
	strncpy(fuzz_last_message, message, sizeof(fuzz_last_message) - 1);
	fuzz_last_message[sizeof(fuzz_last_message) - 1] = '\0';
}

void fuzz_env_clear_logs(void)
{
	fuzz_cache.count = 0;
	fuzz_ownership.count = 0;
	memset(fuzz_messages, 0, sizeof(fuzz_messages));
	fuzz_last_message[0] = '\0';
}

/* ---- region memory ---------------------------------------------------------- */

static NO_ASAN void canary(uint8_t *cpu, uint32_t size)
{
	for (uint32_t i = 0; i < size; i++)
		cpu[i] = FUZZ_CANARY;
}

void fuzz_memory_reset(void)
{
	for (uint32_t r = 0; r < FUZZ_REGION_COUNT; r++)
		fuzz_memory_free(fuzz_region_memory[r], fuzz_regions[r].size);
}

void fuzz_memory_live(uint8_t *cpu, uint32_t size)
{
	UNPOISON(cpu, size);
}

void fuzz_memory_free(uint8_t *cpu, uint32_t size)
{
	UNPOISON(cpu, size);
	canary(cpu, size);
	POISON(cpu, size);
}

void fuzz_memory_unpoison_all(void)
{
	for (uint32_t r = 0; r < FUZZ_REGION_COUNT; r++)
		UNPOISON(fuzz_region_memory[r], fuzz_regions[r].size);
}

void fuzz_memory_poison_all(void)
{
	for (uint32_t r = 0; r < FUZZ_REGION_COUNT; r++)
		POISON(fuzz_region_memory[r], fuzz_regions[r].size);
}

NO_ASAN NO_COVERAGE bool fuzz_memory_intact(const uint8_t *cpu, uint32_t size, uint32_t *bad)
{
	const uint64_t canaries = 0x0101010101010101ull * FUZZ_CANARY;
	uint32_t i = 0;
	for (; i + 8 <= size; i += 8) {
		uint64_t word;
		memcpy(&word, cpu + i, sizeof(word));
		if (word != canaries)
			break;
	}
	for (; i < size; i++) {
		if (cpu[i] != FUZZ_CANARY) {
			*bad = i;
			return false;
		}
	}
	return true;
}
