/*
 * The host-sim cache backend: it enforces the backend contract (cache.h) on
 * every call, counts calls and lines per kind, and drops calls on request.
 */
#include <string.h>

#include "sim/sim_fixture.h"
#include "unit.h"

static struct sim_cache_backend backend;

static struct sim_soc *fresh(uint32_t line, uint64_t seed)
{
	struct sim_soc *soc = sim_fixture_soc(line, seed);
	if (soc)
		sim_cache_backend_init(&backend, soc);
	return soc;
}

static void misaligned_or_foreign_calls_are_rejected_and_counted(void)
{
	struct sim_soc *soc = fresh(32, 1);
	UNIT_ASSERT(soc);
	const struct dmabuf_cache_ops *ops = &dmabuf_cache_host_sim;
	uint8_t *view = sim_fixture_view(soc, TEST_SRAM);
	uint8_t *bus = sim_fixture_bus(soc, TEST_SRAM);
	memset(view, 0x5A, 64); /* dirty: a wrongly accepted clean would show */
	uint8_t before[64];
	memcpy(before, bus, sizeof(before));

	UNIT_EQ(ops->clean_range(&backend, view + 4, 32, 32), DMABUF_EINVAL);      /* address */
	UNIT_EQ(ops->clean_range(&backend, view, 48, 32), DMABUF_EINVAL);          /* size */
	UNIT_EQ(ops->clean_range(&backend, view, 64, 64), DMABUF_EINVAL);          /* line */
	UNIT_EQ(ops->invalidate_range(&backend, view, 0, 32), DMABUF_EINVAL);      /* empty */
	UNIT_EQ(ops->invalidate_range(&backend, view + TEST_SRAM_SIZE - 32, 64, 32),
		DMABUF_EINVAL);                                                     /* past the end */
	UNIT_EQ(ops->invalidate_range(&backend, sim_fixture_view(soc, TEST_NOCACHE), 32, 32),
		DMABUF_EINVAL);                                                     /* uncached */
	UNIT_EQ(ops->invalidate_range(&backend, before, 32, 32), DMABUF_EINVAL);   /* not simulated */
	UNIT_EQ(backend.violations, 7);
	UNIT_EQ(memcmp(bus, before, sizeof(before)), 0);
	UNIT_EQ(sim_dirty_lines(soc), 2);
	for (int op = 0; op < SIM_CACHE_OP_KINDS; op++)
		UNIT_EQ(backend.calls[op], 0);
}

static void calls_and_lines_are_counted_per_kind(void)
{
	struct sim_soc *soc = fresh(64, 2);
	UNIT_ASSERT(soc);
	const struct dmabuf_cache_ops *ops = &dmabuf_cache_host_sim;
	uint8_t *view = sim_fixture_view(soc, TEST_SRAM2);
	memset(view, 0x42, 256);
	UNIT_EQ(ops->clean_range(&backend, view, 256, 64), 0);
	UNIT_EQ(memcmp(sim_fixture_bus(soc, TEST_SRAM2), view, 256), 0);
	UNIT_EQ(ops->invalidate_range(&backend, view + 64, 128, 64), 0);
	UNIT_EQ(ops->clean_all(&backend), 0);
	UNIT_EQ(ops->clean_invalidate_all(&backend), 0);
	UNIT_EQ(ops->clean_invalidate_all(&backend), 0);
	UNIT_EQ(backend.calls[SIM_CACHE_CLEAN], 1);
	UNIT_EQ(backend.lines[SIM_CACHE_CLEAN], 4);
	UNIT_EQ(backend.calls[SIM_CACHE_INVALIDATE], 1);
	UNIT_EQ(backend.lines[SIM_CACHE_INVALIDATE], 2);
	UNIT_EQ(backend.calls[SIM_CACHE_CLEAN_ALL], 1);
	UNIT_EQ(backend.calls[SIM_CACHE_CLEAN_INVALIDATE_ALL], 2);
	UNIT_EQ(backend.violations, 0);
	sim_cache_backend_reset_counts(&backend);
	UNIT_EQ(backend.calls[SIM_CACHE_CLEAN_INVALIDATE_ALL], 0);
	UNIT_EQ(backend.lines[SIM_CACHE_CLEAN], 0);
}

static void whole_cache_operations_cover_every_cacheable_region(void)
{
	struct sim_soc *soc = fresh(32, 3);
	UNIT_ASSERT(soc);
	const struct dmabuf_cache_ops *ops = &dmabuf_cache_host_sim;
	uint8_t *sram = sim_fixture_view(soc, TEST_SRAM), *sram2 = sim_fixture_view(soc, TEST_SRAM2);
	memset(sram + 100, 1, 10);
	memset(sram2 + 1000, 2, 10);
	UNIT_EQ(ops->clean_all(&backend), 0);
	UNIT_EQ(sim_dirty_lines(soc), 0);
	UNIT_EQ(memcmp(sim_fixture_bus(soc, TEST_SRAM) + 96, sram + 96, 32), 0);
	UNIT_EQ(memcmp(sim_fixture_bus(soc, TEST_SRAM2) + 960, sram2 + 960, 64), 0);

	/* clean+invalidate keeps dirty data (written back) and refreshes stale lines */
	memset(sram, 3, 32);
	memset(sim_fixture_bus(soc, TEST_SRAM2), 4, 32);
	UNIT_EQ(ops->clean_invalidate_all(&backend), 0);
	UNIT_EQ(sim_fixture_bus(soc, TEST_SRAM)[0], 3);
	UNIT_EQ(sram[0], 3);
	UNIT_EQ(sram2[0], 4);
}

static void drop_next_skips_exactly_one_call(void)
{
	struct sim_soc *soc = fresh(32, 4);
	UNIT_ASSERT(soc);
	const struct dmabuf_cache_ops *ops = &dmabuf_cache_host_sim;
	uint8_t *view = sim_fixture_view(soc, TEST_SRAM), *bus = sim_fixture_bus(soc, TEST_SRAM);
	sim_cache_drop(&backend, SIM_CACHE_CLEAN, 0, 1);
	memset(view, 0x99, 32);
	UNIT_EQ(ops->invalidate_range(&backend, view + 64, 32, 32), 0); /* other kind: not dropped */
	UNIT_EQ(ops->clean_range(&backend, view, 32, 32), 0);
	UNIT_ASSERT(bus[0] != 0x99 || bus[31] != 0x99);
	UNIT_EQ(backend.dropped[SIM_CACHE_CLEAN], 1);
	UNIT_EQ(backend.calls[SIM_CACHE_CLEAN], 0);
	UNIT_EQ(ops->clean_range(&backend, view, 32, 32), 0);
	UNIT_EQ(bus[0], 0x99);
	UNIT_EQ(backend.calls[SIM_CACHE_CLEAN], 1);
	UNIT_EQ(backend.calls[SIM_CACHE_INVALIDATE], 1);
}

static void drop_can_skip_the_first_calls_and_drop_all_later_ones(void)
{
	struct sim_soc *soc = fresh(32, 5);
	UNIT_ASSERT(soc);
	const struct dmabuf_cache_ops *ops = &dmabuf_cache_host_sim;
	uint8_t *view = sim_fixture_view(soc, TEST_SRAM);
	sim_cache_drop(&backend, SIM_CACHE_INVALIDATE, 2, SIM_DROP_ALL);
	/* A rejected call does not count towards the skip. */
	UNIT_EQ(ops->invalidate_range(&backend, view + 1, 32, 32), DMABUF_EINVAL);
	for (int i = 0; i < 6; i++)
		UNIT_EQ(ops->invalidate_range(&backend, view, 32, 32), 0);
	UNIT_EQ(backend.calls[SIM_CACHE_INVALIDATE], 2);
	UNIT_EQ(backend.dropped[SIM_CACHE_INVALIDATE], 4);
	sim_cache_drop(&backend, SIM_CACHE_INVALIDATE, 0, 0); /* disarm */
	UNIT_EQ(ops->invalidate_range(&backend, view, 32, 32), 0);
	UNIT_EQ(backend.calls[SIM_CACHE_INVALIDATE], 3);

	sim_cache_drop(&backend, SIM_CACHE_CLEAN_INVALIDATE_ALL, 0, 1);
	memset(view, 0x12, 32);
	UNIT_EQ(ops->clean_invalidate_all(&backend), 0);
	UNIT_EQ(sim_dirty_lines(soc), 1);
	UNIT_EQ(backend.dropped[SIM_CACHE_CLEAN_INVALIDATE_ALL], 1);
}

const struct unit_suite suite_sim_cache_backend = UNIT_SUITE(sim_cache_backend,
	UNIT_TEST(misaligned_or_foreign_calls_are_rejected_and_counted),
	UNIT_TEST(calls_and_lines_are_counted_per_kind),
	UNIT_TEST(whole_cache_operations_cover_every_cacheable_region),
	UNIT_TEST(drop_next_skips_exactly_one_call),
	UNIT_TEST(drop_can_skip_the_first_calls_and_drop_all_later_ones));
