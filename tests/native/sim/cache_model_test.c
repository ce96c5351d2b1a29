/*
 * The cache model itself: each test pins one property a coherency bug relies
 * on to show (sim.h, "DOC: the cache model").
 */
#include <string.h>

#include "sim/sim_fixture.h"
#include "unit.h"

/* Flip every byte of [at, at + length) in the CPU view: a CPU write that
 * certainly changes each byte. */
static void cpu_write(uint8_t *view, uint32_t at, uint32_t length)
{
	for (uint32_t i = at; i < at + length; i++)
		view[i] = (uint8_t)~view[i];
}

static void cpu_write_is_invisible_to_dma_until_clean(void)
{
	struct sim_soc *soc = sim_fixture_soc(32, 1);
	UNIT_ASSERT(soc);
	uint8_t *view = sim_fixture_view(soc, TEST_SRAM), *bus = sim_fixture_bus(soc, TEST_SRAM);
	uint8_t before[64];
	memcpy(before, bus, sizeof(before));

	cpu_write(view, 0, 40);
	UNIT_EQ(sim_dirty_lines(soc), 2);
	UNIT_EQ(memcmp(bus, before, sizeof(before)), 0);

	UNIT_EQ(sim_cache_clean(soc, view, 32), 0);
	UNIT_EQ(memcmp(bus, view, 32), 0);
	UNIT_EQ(memcmp(bus + 32, before + 32, 32), 0); /* the other dirty line: still not */
	UNIT_EQ(sim_dirty_lines(soc), 1);
	UNIT_EQ(sim_cache_clean(soc, view + 32, 32), 0);
	UNIT_EQ(memcmp(bus, view, 64), 0);
	UNIT_EQ(sim_dirty_lines(soc), 0);
}

static void dma_write_is_invisible_to_cpu_until_invalidate(void)
{
	struct sim_soc *soc = sim_fixture_soc(64, 2);
	UNIT_ASSERT(soc);
	uint8_t *view = sim_fixture_view(soc, TEST_SRAM), *bus = sim_fixture_bus(soc, TEST_SRAM);
	uint8_t before[128];
	memcpy(before, view, sizeof(before));

	cpu_write(bus, 0, 128); /* a DMA master writes memory */
	sim_evict_random(soc);  /* rate 0: nothing is refilled */
	UNIT_EQ(memcmp(view, before, sizeof(before)), 0);
	UNIT_EQ(sim_dirty_lines(soc), 0); /* stale is not dirty */

	UNIT_EQ(sim_cache_invalidate(soc, view + 64, 64), 0);
	UNIT_EQ(memcmp(view, before, 64), 0);
	UNIT_EQ(memcmp(view + 64, bus + 64, 64), 0);
}

static void clean_does_not_refresh_a_stale_line(void)
{
	struct sim_soc *soc = sim_fixture_soc(32, 3);
	UNIT_ASSERT(soc);
	uint8_t *view = sim_fixture_view(soc, TEST_SRAM), *bus = sim_fixture_bus(soc, TEST_SRAM);
	uint8_t before[32];
	memcpy(before, view, sizeof(before));
	cpu_write(bus, 0, 32);
	UNIT_EQ(sim_cache_clean(soc, view, 32), 0);
	UNIT_EQ(memcmp(view, before, 32), 0);
	UNIT_ASSERT(memcmp(bus, before, 32) != 0);
}

static void invalidate_discards_dirty_data(void)
{
	struct sim_soc *soc = sim_fixture_soc(32, 4);
	UNIT_ASSERT(soc);
	uint8_t *view = sim_fixture_view(soc, TEST_SRAM), *bus = sim_fixture_bus(soc, TEST_SRAM);
	uint8_t before[32];
	memcpy(before, bus, sizeof(before));

	cpu_write(view, 3, 5);
	UNIT_EQ(sim_cache_invalidate(soc, view, 32), 0);
	UNIT_EQ(memcmp(view, before, 32), 0);
	UNIT_EQ(memcmp(bus, before, 32), 0);
	struct sim_stats stats;
	sim_stats(soc, &stats);
	UNIT_EQ(stats.discarded_dirty_lines, 1);
	UNIT_EQ(stats.written_back_lines, 0);
}

/* A partial CPU write to a stale line, then a clean, writes the stale
 * neighbours back over the DMA data: whole lines go to memory. */
static void partial_write_to_stale_line_writes_back_stale_neighbours(void)
{
	struct sim_soc *soc = sim_fixture_soc(32, 5);
	UNIT_ASSERT(soc);
	uint8_t *view = sim_fixture_view(soc, TEST_SRAM), *bus = sim_fixture_bus(soc, TEST_SRAM);
	uint8_t stale[32];
	memcpy(stale, view, sizeof(stale));
	cpu_write(bus, 0, 32);   /* DMA */
	cpu_write(view, 0, 1);   /* CPU writes byte 0 only */
	UNIT_EQ(sim_cache_clean(soc, view, 32), 0);
	UNIT_EQ(memcmp(bus + 1, stale + 1, 31), 0);
}

static void eviction_writes_back_dirty_lines_and_refills_clean_ones(void)
{
	struct sim_soc *soc = sim_fixture_soc(128, 6);
	UNIT_ASSERT(soc);
	uint8_t *view = sim_fixture_view(soc, TEST_SRAM), *bus = sim_fixture_bus(soc, TEST_SRAM);
	cpu_write(view, 0, 10);    /* line 0 dirty */
	cpu_write(bus, 128, 128);  /* line 1 stale */
	uint8_t expect[256];
	memcpy(expect, view, 128);
	memcpy(expect + 128, bus + 128, 128);

	sim_evict_all(soc);
	UNIT_EQ(memcmp(bus, expect, 256), 0);
	UNIT_EQ(memcmp(view, expect, 256), 0);
	struct sim_stats stats;
	sim_stats(soc, &stats);
	UNIT_EQ(stats.written_back_lines, 1);
	UNIT_EQ(stats.evicted_lines, (TEST_SRAM_SIZE + TEST_SRAM2_SIZE) / 128);
}

static void eviction_rate_bounds_evict_nothing_or_everything(void)
{
	struct sim_soc *soc = sim_fixture_soc(32, 7);
	UNIT_ASSERT(soc);
	struct sim_stats stats;
	sim_evict_random(soc);
	sim_stats(soc, &stats);
	UNIT_EQ(stats.evicted_lines, 0);
	sim_set_eviction_rate(soc, 1.0);
	sim_evict_random(soc);
	sim_stats(soc, &stats);
	UNIT_EQ(stats.evicted_lines, (TEST_SRAM_SIZE + TEST_SRAM2_SIZE) / 32);
	sim_stats_reset(soc);
	sim_set_eviction_rate(soc, 0.25);
	for (int round = 0; round < 20; round++)
		sim_evict_random(soc);
	sim_stats(soc, &stats);
	/* 20 rounds x 128 lines x 0.25 = 640 expected; 5 sigma is about 110. */
	UNIT_ASSERT(stats.evicted_lines > 530 && stats.evicted_lines < 750);
}

/* Run a fixed sequence of CPU writes and random eviction rounds; return what
 * the bus ends up holding (which lines were written back, and when). */
static void eviction_trace(uint64_t seed, uint8_t *bus_out, struct sim_stats *stats)
{
	struct sim_soc *soc = sim_fixture_soc(32, 42);
	sim_seed(soc, seed);
	sim_set_eviction_rate(soc, 0.3);
	uint8_t *view = sim_fixture_view(soc, TEST_SRAM);
	for (uint32_t step = 0; step < 16; step++) {
		cpu_write(view, step * 61, 200);
		sim_evict_random(soc);
	}
	memcpy(bus_out, sim_fixture_bus(soc, TEST_SRAM), TEST_SRAM_SIZE);
	sim_stats(soc, stats);
}

static void same_seed_gives_same_eviction_schedule(void)
{
	static uint8_t first[TEST_SRAM_SIZE], second[TEST_SRAM_SIZE], other[TEST_SRAM_SIZE];
	struct sim_stats first_stats, second_stats, other_stats;
	eviction_trace(1234, first, &first_stats);
	eviction_trace(1234, second, &second_stats);
	eviction_trace(1235, other, &other_stats);
	UNIT_EQ(memcmp(first, second, sizeof(first)), 0);
	UNIT_EQ(memcmp(&first_stats, &second_stats, sizeof(first_stats)), 0);
	UNIT_ASSERT(first_stats.evicted_lines > 0);
	UNIT_ASSERT(memcmp(first, other, sizeof(first)) != 0);
}

static void capacity_evicts_the_oldest_dirty_lines(void)
{
	struct sim_soc *soc = sim_fixture_soc(32, 8);
	UNIT_ASSERT(soc);
	uint8_t *view = sim_fixture_view(soc, TEST_SRAM), *bus = sim_fixture_bus(soc, TEST_SRAM);
	const uint32_t capacity = TEST_DCACHE_SIZE / 32; /* 16 lines */
	cpu_write(view + 2048, 0, 32 * 4);   /* lines 64..67, observed first */
	UNIT_EQ(sim_dirty_lines(soc), 4);
	cpu_write(view, 0, 32 * 20);         /* lines 0..19, observed later */
	UNIT_EQ(sim_dirty_lines(soc), capacity);

	struct sim_stats stats;
	sim_stats(soc, &stats);
	UNIT_EQ(stats.capacity_evictions, 8);
	UNIT_EQ(stats.written_back_lines, 8);
	/* The oldest go first: lines 64..67, then (seen together, lowest
	 * address first) lines 0..3. Lines 4..19 are still dirty. */
	UNIT_EQ(memcmp(bus + 2048, view + 2048, 32 * 4), 0);
	UNIT_EQ(memcmp(bus, view, 32 * 4), 0);
	for (uint32_t line = 4; line < 20; line++)
		UNIT_ASSERT(memcmp(bus + line * 32, view + line * 32, 32) != 0);
}

static void uncached_region_view_is_bus_memory(void)
{
	struct sim_soc *soc = sim_fixture_soc(32, 9);
	UNIT_ASSERT(soc);
	UNIT_ASSERT(sim_fixture_view(soc, TEST_NOCACHE) == sim_fixture_bus(soc, TEST_NOCACHE));
	UNIT_ASSERT(sim_fixture_view(soc, TEST_SRAM) != sim_fixture_bus(soc, TEST_SRAM));
	uint8_t *view = sim_fixture_view(soc, TEST_NOCACHE);
	UNIT_EQ(sim_cache_clean(soc, view, 32), DMABUF_EINVAL);
	UNIT_EQ(sim_cache_invalidate(soc, view, 32), DMABUF_EINVAL);
}

static void region_views_are_line_aligned(void)
{
	static const uint32_t lines[] = { 32, 64, 128 };
	for (uint32_t i = 0; i < 3; i++) {
		struct sim_soc *soc = sim_fixture_soc(lines[i], 10);
		UNIT_ASSERT(soc);
		for (uint32_t r = 0; r < 3; r++)
			UNIT_EQ((uintptr_t)sim_fixture_view(soc, r) % lines[i], 0);
	}
}

static void memory_starts_with_seeded_random_bytes(void)
{
	static uint8_t first[TEST_SRAM_SIZE];
	struct sim_soc *soc = sim_fixture_soc(32, 11);
	UNIT_ASSERT(soc);
	memcpy(first, sim_fixture_bus(soc, TEST_SRAM), TEST_SRAM_SIZE);
	UNIT_EQ(memcmp(first, sim_fixture_view(soc, TEST_SRAM), TEST_SRAM_SIZE), 0);
	soc = sim_fixture_soc(32, 11);
	UNIT_ASSERT(soc);
	UNIT_EQ(memcmp(first, sim_fixture_bus(soc, TEST_SRAM), TEST_SRAM_SIZE), 0);
	soc = sim_fixture_soc(32, 12);
	UNIT_ASSERT(soc);
	UNIT_ASSERT(memcmp(first, sim_fixture_bus(soc, TEST_SRAM), TEST_SRAM_SIZE) != 0);
	uint32_t zeros = 0;
	for (uint32_t i = 0; i < TEST_SRAM_SIZE; i++)
		zeros += first[i] == 0;
	UNIT_ASSERT(zeros < TEST_SRAM_SIZE / 64);
}

static void bad_boards_are_rejected(void)
{
	struct test_board tb;
	struct sim_soc *soc = NULL;
	const struct dmabuf_board *board = test_board_build(&tb, 32, 0);

	tb.regions[1].bus_base = TEST_SRAM_BASE + 1024; /* overlaps sram */
	UNIT_EQ(sim_create(board, 1, &soc), DMABUF_EINVAL);
	board = test_board_build(&tb, 32, 0);
	tb.regions[0].size = 1000; /* not whole lines */
	UNIT_EQ(sim_create(board, 1, &soc), DMABUF_EINVAL);
	board = test_board_build(&tb, 32, 0);
	tb.regions[2].cache_line = 48; /* not a power of two */
	UNIT_EQ(sim_create(board, 1, &soc), DMABUF_EINVAL);
	board = test_board_build(&tb, 32, 0);
	tb.board.dcache_size = 0; /* cacheable regions without a cache */
	UNIT_EQ(sim_create(board, 1, &soc), DMABUF_EINVAL);
	board = test_board_build(&tb, 32, 0);
	tb.board.region_count = 0;
	UNIT_EQ(sim_create(board, 1, &soc), DMABUF_EINVAL);
	UNIT_ASSERT(soc == NULL);
	UNIT_EQ(sim_create(NULL, 1, &soc), DMABUF_EINVAL);
}

static void bus_lookup_stays_inside_one_region(void)
{
	struct sim_soc *soc = sim_fixture_soc(32, 13);
	UNIT_ASSERT(soc);
	UNIT_ASSERT(sim_bus(soc, TEST_SRAM_BASE, TEST_SRAM_SIZE) != NULL);
	UNIT_ASSERT(sim_bus(soc, TEST_SRAM_BASE + 1, TEST_SRAM_SIZE) == NULL);
	UNIT_ASSERT(sim_bus(soc, TEST_SRAM_BASE - 1, 2) == NULL);
	UNIT_ASSERT(sim_bus(soc, TEST_SRAM_BASE, 0) == NULL);
	UNIT_ASSERT(sim_bus(soc, 0xFFFFFFF0u, 0x20) == NULL);
	UNIT_ASSERT(sim_bus(soc, TEST_NOCACHE_BASE + 8, 8) == sim_fixture_view(soc, TEST_NOCACHE) + 8);
}

const struct unit_suite suite_sim_cache_model = UNIT_SUITE(sim_cache_model,
	UNIT_TEST(cpu_write_is_invisible_to_dma_until_clean),
	UNIT_TEST(dma_write_is_invisible_to_cpu_until_invalidate),
	UNIT_TEST(clean_does_not_refresh_a_stale_line),
	UNIT_TEST(invalidate_discards_dirty_data),
	UNIT_TEST(partial_write_to_stale_line_writes_back_stale_neighbours),
	UNIT_TEST(eviction_writes_back_dirty_lines_and_refills_clean_ones),
	UNIT_TEST(eviction_rate_bounds_evict_nothing_or_everything),
	UNIT_TEST(same_seed_gives_same_eviction_schedule),
	UNIT_TEST(capacity_evicts_the_oldest_dirty_lines),
	UNIT_TEST(uncached_region_view_is_bus_memory),
	UNIT_TEST(region_views_are_line_aligned),
	UNIT_TEST(memory_starts_with_seeded_random_bytes),
	UNIT_TEST(bad_boards_are_rejected),
	UNIT_TEST(bus_lookup_stays_inside_one_region));
