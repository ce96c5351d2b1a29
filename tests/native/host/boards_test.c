/*
 * Every compiled-in board (boards/) is well formed and usable end to end:
 * the sanity rules below, dmabuf_init accepting it, and every device able to
 * get a mapping of a buffer placed for it.
 *
 * board_violation() is itself tested on broken copies, so a rule that stops
 * checking anything fails here too.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dmabuf/dmabuf.h"
#include "unit.h"

static char violation[160];

static bool is_power_of_two(uint32_t v)
{
	return v && !(v & (v - 1));
}

/* [base, base + size) fits the 32-bit bus. */
static bool span_fits(uint32_t base, uint32_t size)
{
	return size && (uint64_t)base + size <= 0x100000000ull;
}

static bool window_contains(const struct dmabuf_window *w, const struct dmabuf_region_desc *r)
{
	return r->bus_base >= w->base && (uint64_t)r->bus_base + r->size <= (uint64_t)w->base + w->size;
}

static const char *region_violation(const struct dmabuf_board *b, uint32_t i)
{
	const struct dmabuf_region_desc *r = &b->regions[i];
	if (!r->name)
		return "region without a name";
	if (r->cache_line < 4 || !is_power_of_two(r->cache_line))
		return "cache_line not a power of two >= 4";
	if (r->bus_base % r->cache_line || r->size % r->cache_line)
		return "region base or size not a multiple of its cache_line";
	if (!span_fits(r->bus_base, r->size))
		return "region empty or past the 32-bit bus";
	if ((r->flags & DMABUF_REGION_CACHEABLE) && !b->dcache_size)
		return "cacheable region on a board without a data cache";
	for (uint32_t j = 0; j < i; j++) {
		const struct dmabuf_region_desc *o = &b->regions[j];
		if (!strcmp(o->name, r->name))
			return "two regions with one name";
		if ((uint64_t)r->bus_base < (uint64_t)o->bus_base + o->size &&
		    (uint64_t)o->bus_base < (uint64_t)r->bus_base + r->size)
			return "regions overlap";
	}
	return NULL;
}

static const char *device_violation(const struct dmabuf_board *b, uint32_t i)
{
	const struct dmabuf_device_desc *d = &b->devices[i];
	if (!d->name)
		return "device without a name";
	for (uint32_t j = 0; j < i; j++)
		if (!strcmp(b->devices[j].name, d->name))
			return "two devices with one name";
	if (!d->windows || !d->window_count)
		return "device without a window";
	if (!is_power_of_two(d->align))
		return "device align not a power of two";
	if (d->max_segment_bytes < d->align)
		return "max_segment_bytes below align: no segment can be formed";
	bool reaches_one = false;
	for (uint32_t w = 0; w < d->window_count; w++) {
		if (!span_fits(d->windows[w].base, d->windows[w].size))
			return "window empty or past the 32-bit bus";
		for (uint32_t r = 0; r < b->region_count; r++) {
			if (!window_contains(&d->windows[w], &b->regions[r]))
				continue;
			reaches_one = true;
			/* Placement is by the region granule; if the device's
			 * alignment does not divide it, whether an attach works
			 * would depend on where the heap happened to put the
			 * block. */
			if (b->regions[r].cache_line % d->align)
				return "device align does not divide the granule of a region it reaches";
		}
	}
	if (!reaches_one)
		return "no window of the device contains a whole region";
	return NULL;
}

/* The first rule @b breaks (also stored in `violation` with names), or NULL. */
static const char *board_violation(const struct dmabuf_board *b)
{
	const char *rule = NULL;
	if (!b->name || !b->description)
		return "board without a name or description";
	if (!b->regions || !b->region_count)
		return "board without regions";
	if (!b->devices || !b->device_count)
		return "board without devices";
	if (b->whole_cache_threshold && b->whole_cache_threshold < b->dcache_size)
		return "whole_cache_threshold below the cache size: the loop is cheaper there";
	for (uint32_t i = 0; i < b->region_count && !rule; i++)
		if ((rule = region_violation(b, i)))
			snprintf(violation, sizeof(violation), "%s: region %u: %s", b->name, i, rule);
	for (uint32_t i = 0; i < b->device_count && !rule; i++)
		if ((rule = device_violation(b, i)))
			snprintf(violation, sizeof(violation), "%s: device %u: %s", b->name, i, rule);
	return rule;
}

static uint32_t board_count(void)
{
	uint32_t n = 0;
	while (dmabuf_board_at(n))
		n++;
	return n;
}

static void boards_all_six_are_compiled_in_and_found_by_name(void)
{
	static const char *const names[] = { "stm32f769i-disco", "esp32s3-octal-psram", "esp32p4",
					      "esp32", "qemu-mps2-an500", "qemu-riscv32-virt" };
	UNIT_EQ(board_count(), 6);
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		const struct dmabuf_board *b = dmabuf_board_find(names[i]);
		UNIT_ASSERT(b != NULL);
		UNIT_ASSERT(strcmp(b->name, names[i]) == 0);
	}
	UNIT_ASSERT(dmabuf_board_find("no-such-board") == NULL);
	UNIT_ASSERT(dmabuf_board_find(NULL) == NULL);
	UNIT_ASSERT(dmabuf_board_at(board_count()) == NULL);
}

static void boards_names_are_unique(void)
{
	for (uint32_t i = 0; dmabuf_board_at(i); i++)
		for (uint32_t j = 0; j < i; j++)
			UNIT_ASSERT(strcmp(dmabuf_board_at(i)->name, dmabuf_board_at(j)->name) != 0);
}

static void boards_pass_every_sanity_rule(void)
{
	for (uint32_t i = 0; dmabuf_board_at(i); i++) {
		const char *rule = board_violation(dmabuf_board_at(i));
		if (rule)
			printf("  %s\n", violation);
		UNIT_ASSERT(rule == NULL);
	}
}

/* The sanity rules catch what they claim to: each broken copy of a good board
 * is reported with the rule it breaks. */
static void boards_sanity_rules_reject_broken_boards(void)
{
	static const struct dmabuf_window win[] = { { 0x10000, 0x10000 } };
	static const struct dmabuf_window nowhere[] = { { 0x90000, 0x1000 } };
	struct dmabuf_region_desc regions[2] = {
		{ "a", 0x10000, 0x4000, DMABUF_REGION_CACHEABLE, 32 },
		{ "b", 0x18000, 0x4000, 0, 32 },
	};
	struct dmabuf_device_desc devices[1] = { { "dev", win, 1, 4, 4095, 0, 0 } };
	struct dmabuf_board b = { "broken", "test", regions, 2, devices, 1, 16384, 32768, 0 };
	UNIT_ASSERT(board_violation(&b) == NULL);

	regions[1].bus_base = 0x12000; /* overlaps "a" */
	UNIT_ASSERT(board_violation(&b) && strstr(board_violation(&b), "overlap"));
	regions[1].bus_base = 0x18010; /* not line-aligned */
	UNIT_ASSERT(board_violation(&b) && strstr(board_violation(&b), "multiple"));
	regions[1].bus_base = 0x18000;
	regions[1].cache_line = 48;
	UNIT_ASSERT(board_violation(&b) && strstr(board_violation(&b), "power of two"));
	regions[1].cache_line = 32;
	regions[1].name = "a";
	UNIT_ASSERT(board_violation(&b) && strstr(board_violation(&b), "one name"));
	regions[1].name = "b";

	devices[0].windows = nowhere;
	UNIT_ASSERT(board_violation(&b) && strstr(board_violation(&b), "contains a whole region"));
	devices[0].windows = win;
	devices[0].align = 64; /* regions have 32-byte granules */
	UNIT_ASSERT(board_violation(&b) && strstr(board_violation(&b), "divide"));
	devices[0].align = 4;
	devices[0].window_count = 0;
	UNIT_ASSERT(board_violation(&b) && strstr(board_violation(&b), "without a window"));
	devices[0].window_count = 1;

	b.dcache_size = 0;
	UNIT_ASSERT(board_violation(&b) != NULL); /* cacheable region, no cache */
	b.dcache_size = 16384;
	b.whole_cache_threshold = 1024;
	UNIT_ASSERT(board_violation(&b) && strstr(board_violation(&b), "threshold"));
	b.whole_cache_threshold = 32768;
	UNIT_ASSERT(board_violation(&b) == NULL);
}

/* Host memory standing in for each region (migration copies through it),
 * aligned to the region's line as dmabuf_init requires. */
struct board_memory {
	void *region[8];
};

static int board_memory_alloc(struct board_memory *m, const struct dmabuf_board *b)
{
	memset(m, 0, sizeof(*m));
	if (b->region_count > 8)
		return -1;
	for (uint32_t i = 0; i < b->region_count; i++)
		if (!(m->region[i] = aligned_alloc(b->regions[i].cache_line, b->regions[i].size)))
			return -1;
	return 0;
}

static void board_memory_free(struct board_memory *m)
{
	for (size_t i = 0; i < 8; i++)
		free(m->region[i]);
}

static bool in_some_window(const struct dmabuf_device_desc *d, dmabuf_addr_t addr, uint32_t length)
{
	for (uint32_t w = 0; w < d->window_count; w++)
		if (addr >= d->windows[w].base &&
		    (uint64_t)addr + length <= (uint64_t)d->windows[w].base + d->windows[w].size)
			return true;
	return false;
}

/* Map a deferred 8 KB buffer for @device on @ctx and check the mapping
 * honours the device's window, alignment and segment limit. */
static void map_one_buffer_for(struct dmabuf_ctx *ctx, const struct dmabuf_board *b, uint32_t device)
{
	const struct dmabuf_device_desc *d = &b->devices[device];
	dmabuf_handle_t buffer, attachment;
	struct dmabuf_mapping m;
	UNIT_EQ(dmabuf_export(ctx, 8192, d->name, DMABUF_EXPORT_DEFER_PLACEMENT, &buffer), 0);
	UNIT_EQ(dmabuf_attach(ctx, buffer, (int)device, &attachment), 0);
	UNIT_EQ(dmabuf_map(ctx, attachment, DMABUF_TO_DEVICE, &m), 0);
	UNIT_ASSERT(in_some_window(d, m.dma_addr, m.length));
	UNIT_EQ(m.dma_addr % d->align, 0);
	UNIT_ASSERT(m.segment_bytes <= d->max_segment_bytes);
	UNIT_ASSERT(m.segment_count >= 1);
	UNIT_ASSERT(d->max_segments == 0 || m.segment_count <= d->max_segments);
	UNIT_EQ(dmabuf_unmap(ctx, attachment, &m, DMABUF_TO_DEVICE), 0);
	UNIT_EQ(dmabuf_detach(ctx, attachment), 0);
	UNIT_EQ(dmabuf_put(ctx, buffer), 0);
}

static void boards_are_accepted_by_dmabuf_init_and_map_for_every_device(void)
{
	for (uint32_t i = 0; dmabuf_board_at(i); i++) {
		const struct dmabuf_board *b = dmabuf_board_at(i);
		struct board_memory mem;
		int ok = board_memory_alloc(&mem, b);
		if (ok != 0)
			board_memory_free(&mem);
		UNIT_EQ(ok, 0);
		struct dmabuf_config config = {
			.board = b,
			.region_memory = mem.region,
			.cache = &dmabuf_cache_none,
			.max_buffers = 4,
			.max_attachments = 4,
		};
		size_t size = dmabuf_storage_size(&config);
		void *storage = size ? aligned_alloc(8, (size + 7) & ~(size_t)7) : NULL;
		struct dmabuf_ctx *ctx = NULL;
		int err = storage ? dmabuf_init(&ctx, storage, size, &config) : -1;
		if (err == 0) {
			for (uint32_t dev = 0; dev < b->device_count && !unit_failed(); dev++) {
				map_one_buffer_for(ctx, b, dev);
				if (unit_failed())
					printf("  board %s, device %s\n", b->name, b->devices[dev].name);
			}
			if (!unit_failed())
				UNIT_EQ(dmabuf_check(ctx), 0);
			UNIT_EQ(dmabuf_deinit(ctx), 0);
		} else {
			printf("  board %s: dmabuf_init -> %d (storage %zu)\n", b->name, err, size);
		}
		free(storage);
		board_memory_free(&mem);
		UNIT_EQ(err, 0);
		UNIT_CHECK_HELPER();
	}
}

const struct unit_suite suite_boards = UNIT_SUITE(boards,
	UNIT_TEST(boards_all_six_are_compiled_in_and_found_by_name),
	UNIT_TEST(boards_names_are_unique),
	UNIT_TEST(boards_pass_every_sanity_rule),
	UNIT_TEST(boards_sanity_rules_reject_broken_boards),
	UNIT_TEST(boards_are_accepted_by_dmabuf_init_and_map_for_every_device));
