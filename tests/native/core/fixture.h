/*
 * Test support for the core suites (portable: static memory only).
 *
 * The test board (fx_board):
 *
 *   region   bus base     size     cache         line
 *   sram     0x20000000   192 KiB  cacheable     32
 *   dtcm     0x10000000     8 KiB  uncached      32
 *   sram_nc  0x30000000    32 KiB  uncached      32
 *   psram    0x60000000    64 KiB  cacheable     64
 *
 *   device   reaches                   align  max segment  max segments  coherent
 *   dma      sram, sram_nc, psram      4      65535        -             no
 *   gdma     sram, sram_nc             4      4095         16            no
 *   snoop    everything                1      0xFFFFFFFF   -             yes
 *   dma2     sram_nc, psram            4      65535        -             no
 *   wide     sram                      64     65535        -             no
 *   wide_ps  sram, psram               64     65535        -             no
 *   mdma     dtcm, sram                4      65535        -             no
 *
 * Each region is backed by a static array (its CPU view). The cache backend
 * RECORDS: it counts lines per operation and fails the running test if an
 * address or size is not line-aligned or not inside a cacheable region.
 * A target with a real cache backend defines fx_platform_cache (and its
 * priv): every recorded operation is then also done for real, on the CPU
 * addresses of those arrays, which are real RAM wherever the suites run
 * (the bus bases above are the fixture's own and are never dereferenced).
 * The report hook keeps the last debug message.
 */
#ifndef FIXTURE_H
#define FIXTURE_H

#include <stdbool.h>
#include <stdint.h>

#include "dmabuf/dmabuf.h"
#include "unit.h"

enum fx_region { FX_SRAM, FX_DTCM, FX_SRAM_NC, FX_PSRAM, FX_REGION_COUNT };
enum fx_device { FX_DMA, FX_GDMA, FX_SNOOP, FX_DMA2, FX_WIDE, FX_WIDE_PS, FX_MDMA, FX_DEVICE_COUNT };

#define FX_SRAM_BASE 0x20000000u
#define FX_DTCM_BASE 0x10000000u
#define FX_SRAM_NC_BASE 0x30000000u
#define FX_PSRAM_BASE 0x60000000u

struct fx_options {
	uint32_t max_buffers;           /* 0 = 16 */
	uint32_t max_attachments;       /* 0 = 32 */
	uint32_t whole_cache_threshold; /* board threshold, 0 = never */
	bool whole_cache_ops;           /* the backend offers clean_all / clean_invalidate_all */
	bool checker_off;
};

/* What the recording backend saw since fx_init (or fx_cache_reset). */
struct fx_cache {
	uint32_t clean_calls;
	uint32_t invalidate_calls;
	uint32_t lines_cleaned;
	uint32_t lines_invalidated;
	uint32_t clean_all_calls;
	uint32_t clean_invalidate_all_calls;
	uintptr_t last_addr; /* CPU address of the last range operation */
	uint32_t last_size;
	uint32_t violations;
	int fail_next;       /* returned (once) by the next operation, then cleared */
};
extern struct fx_cache fx_cache;

/* The target's cache backend behind the recording one; weak, NULL on the host
 * (firmware/qemu-mps2-an500/target.c: the Cortex-M7 SCB backend). */
extern const struct dmabuf_cache_ops *fx_platform_cache;
extern void *fx_platform_cache_priv;

/* A fresh context over fx_board (static storage; one at a time). NULL and a
 * test failure if init fails. */
struct dmabuf_ctx *fx_init(const struct fx_options *options);
/* Deinit, asserting no buffer is left (a failure if one is). */
void fx_done(struct dmabuf_ctx *ctx);
void fx_cache_reset(struct dmabuf_ctx *ctx);

extern const struct dmabuf_board fx_board;
/* The config fx_init used (for init / storage tests). */
extern struct dmabuf_config fx_config;
uint8_t *fx_region_memory(enum fx_region region);

/* The last debug message and how many arrived (0 / "" without DMABUF_DEBUG). */
extern char fx_message[256];
extern uint32_t fx_messages;
void fx_clear_messages(void);
/* True if the last message contains @needle; always true without DMABUF_DEBUG,
 * where the core has no messages. */
bool fx_message_has(const char *needle);

/* Export + (optional) attach helpers that fail the test on error. */
dmabuf_handle_t fx_export(struct dmabuf_ctx *ctx, uint32_t size, const char *name, uint32_t flags);
dmabuf_handle_t fx_attach(struct dmabuf_ctx *ctx, dmabuf_handle_t buffer, enum fx_device device);
struct dmabuf_info fx_info(struct dmabuf_ctx *ctx, dmabuf_handle_t buffer);

/* Tiny deterministic PRNG (xorshift32), so every target runs the same trace. */
uint32_t fx_random(uint32_t *state);

#define FX_CHECK(ctx) UNIT_EQ(dmabuf_check(ctx), 0)

#endif /* FIXTURE_H */
