/*
 * The cache statistics are 64-bit: a long-running pipeline (4,800 lines a
 * frame at 30 frames a second) passes 2^32 lines in about 8 hours, and a
 * 32-bit counter would silently start again from zero. Host-only: reaching
 * 2^32 takes ~700,000 whole-region cleans, too many for the emulated targets.
 */
#include "core/fixture.h"

/* The fixture's sram region, in 32-byte lines. */
#define SRAM_BYTES (192u * 1024u)
#define SRAM_LINES (SRAM_BYTES / 32u)

static void cache_counters_count_past_2_to_the_32(void)
{
	struct dmabuf_ctx *ctx = fx_init(NULL);
	UNIT_ASSERT(ctx);
	dmabuf_handle_t buf = fx_export(ctx, SRAM_BYTES, "frame", 0);
	UNIT_CHECK_HELPER();
	UNIT_EQ(fx_info(ctx, buf).region, FX_SRAM);
	const uint64_t rounds = (1ull << 32) / SRAM_LINES + 1u;
	void *cpu;
	for (uint64_t i = 0; i < rounds; i++) {
		/* No device attached: every end cleans the whole buffer. */
		if (dmabuf_begin_cpu_access(ctx, buf, DMABUF_TO_DEVICE, 0, DMABUF_WHOLE, &cpu) != 0 ||
		    dmabuf_end_cpu_access(ctx, buf, DMABUF_TO_DEVICE, 0, DMABUF_WHOLE) != 0) {
			unit_fail(__FILE__, __LINE__, "CPU access", 0, 0);
			break;
		}
	}
	struct dmabuf_cache_stats stats;
	dmabuf_cache_stats(ctx, &stats);
	UNIT_ASSERT(stats.lines_cleaned > UINT32_MAX);
	UNIT_ASSERT(stats.lines_cleaned == rounds * SRAM_LINES);
	UNIT_EQ(dmabuf_put(ctx, buf), 0);
	fx_done(ctx);
}

const struct unit_suite suite_stats_counters = UNIT_SUITE(stats_counters,
	UNIT_TEST(cache_counters_count_past_2_to_the_32));
