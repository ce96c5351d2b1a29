/*
 * The runtime board of the nf-interpreter integration
 * (firmware/nf-interpreter/dmabuf_runtime_board.c): pools cut along the
 * board's regions, trimmed to whole lines, cached if either side says so,
 * refusals that leave the output alone -- and, end to end, a context built
 * on the runtime board of each real-board firmware configuration mapping a
 * buffer for every device of the board.
 *
 * Pools here are host memory standing at made-up bus addresses, exactly as a
 * firmware pool stands at its SRAM/PSRAM address.
 */
#include <stdlib.h>
#include <string.h>

#include "../../../firmware/nf-interpreter/dmabuf_runtime_board.c"
#include "boards.h"
#include "unit.h"

static uint32_t reports;

/* A general pool: the board's line, reached by every device whose windows hold it. */
#define GENERAL(bus, memory, bytes, cached) { .bus_base = (bus), .cpu = (memory), .size = (bytes), .flags = (cached) }

static void count_report(void *user, const char *message)
{
	(void)user;
	(void)message;
	reports++;
}

static const struct dmabuf_window all_window[] = { { 0x10000000u, 0x10000000u } };
static const struct dmabuf_device_desc one_device[] = { { "dev", all_window, 1, 4, 4095, 0, 0 } };
static const struct dmabuf_region_desc two_regions[] = {
	{ "cached", 0x10000000u, 0x10000u, DMABUF_REGION_CACHEABLE, 32 },
	{ "plain", 0x10010000u, 0x1000u, 0, 64 },
};
static const struct dmabuf_board two_region_board = {
	"two", "test", two_regions, 2, one_device, 1, 16384, 0, 0,
};

static uint8_t host_memory[0x20000] __attribute__((aligned(128)));

static void pool_inside_one_region_keeps_its_attributes(void)
{
	struct dmabuf_runtime_board rb;
	struct dmabuf_pool pool = GENERAL(0x10004000u, host_memory, 0x2000, 0);
	UNIT_EQ(dmabuf_runtime_board_init(&rb, &two_region_board, &pool, 1, NULL, NULL), 0);
	UNIT_EQ(rb.board.region_count, 1);
	UNIT_ASSERT(rb.board.regions == rb.regions);
	UNIT_EQ(strcmp(rb.regions[0].name, "cached"), 0);
	UNIT_EQ(rb.regions[0].bus_base, 0x10004000u);
	UNIT_EQ(rb.regions[0].size, 0x2000);
	UNIT_EQ(rb.regions[0].cache_line, 32);
	UNIT_EQ(rb.regions[0].flags, DMABUF_REGION_CACHEABLE);
	UNIT_ASSERT(rb.region_memory[0] == host_memory);
	/* Everything else is the board's. */
	UNIT_ASSERT(rb.board.devices == one_device);
	UNIT_EQ(rb.board.dcache_size, 16384);
	UNIT_EQ(strcmp(rb.board.name, "two"), 0);
}

static void pool_across_two_regions_becomes_two_trimmed_regions(void)
{
	struct dmabuf_runtime_board rb;
	/* Starts mid-line in "cached", ends mid-line in "plain" (64-byte lines). */
	struct dmabuf_pool pool = GENERAL(0x1000F010u, host_memory + 16, 0x1000 + 0x30, DMABUF_REGION_CACHEABLE);
	UNIT_EQ(dmabuf_runtime_board_init(&rb, &two_region_board, &pool, 1, NULL, NULL), 0);
	UNIT_EQ(rb.board.region_count, 2);
	UNIT_EQ(rb.regions[0].bus_base, 0x1000F020u); /* up to the next 32-byte line */
	UNIT_EQ(rb.regions[0].size, 0x10010000u - 0x1000F020u);
	UNIT_ASSERT(rb.region_memory[0] == host_memory + 32);
	UNIT_EQ(rb.regions[1].bus_base, 0x10010000u);
	UNIT_EQ(rb.regions[1].size, 0x40); /* down to its 64-byte line */
	UNIT_EQ(rb.regions[1].cache_line, 64);
	UNIT_ASSERT(rb.region_memory[1] == host_memory + 0x1000);
	/* Cached by the pool's word although the board calls "plain" uncached. */
	UNIT_EQ(rb.regions[1].flags, DMABUF_REGION_CACHEABLE);
}

static void cached_pool_in_an_uncached_region_is_cached(void)
{
	struct dmabuf_runtime_board rb;
	struct dmabuf_pool cached = GENERAL(0x10010000u, host_memory, 0x1000, DMABUF_REGION_CACHEABLE);
	UNIT_EQ(dmabuf_runtime_board_init(&rb, &two_region_board, &cached, 1, NULL, NULL), 0);
	UNIT_EQ(rb.regions[0].flags, DMABUF_REGION_CACHEABLE);
	struct dmabuf_pool uncached = GENERAL(0x10010000u, host_memory, 0x1000, 0);
	UNIT_EQ(dmabuf_runtime_board_init(&rb, &two_region_board, &uncached, 1, NULL, NULL), 0);
	UNIT_EQ(rb.regions[0].flags, 0);
	/* The board's "cached" is never dropped by a pool that claims otherwise. */
	struct dmabuf_pool claims_uncached = GENERAL(0x10000000u, host_memory, 0x1000, 0);
	UNIT_EQ(dmabuf_runtime_board_init(&rb, &two_region_board, &claims_uncached, 1, NULL, NULL), 0);
	UNIT_EQ(rb.regions[0].flags, DMABUF_REGION_CACHEABLE);
}

static void regions_keep_the_board_order_whatever_the_pool_order(void)
{
	struct dmabuf_runtime_board rb;
	struct dmabuf_pool pools[2] = {
		GENERAL(0x10010000u, host_memory, 0x1000, 0),            /* in "plain" */
		GENERAL(0x10000000u, host_memory + 0x1000, 0x1000, 0),   /* in "cached" */
	};
	UNIT_EQ(dmabuf_runtime_board_init(&rb, &two_region_board, pools, 2, NULL, NULL), 0);
	UNIT_EQ(rb.board.region_count, 2);
	UNIT_EQ(strcmp(rb.regions[0].name, "cached"), 0);
	UNIT_ASSERT(rb.region_memory[0] == host_memory + 0x1000);
	UNIT_EQ(strcmp(rb.regions[1].name, "plain"), 0);
	UNIT_ASSERT(rb.region_memory[1] == host_memory);
}

static void expect_refused_on(const struct dmabuf_board *board, const struct dmabuf_pool *pools, uint32_t count,
			      int want)
{
	struct dmabuf_runtime_board rb, before;
	memset(&rb, 0x77, sizeof(rb));
	before = rb;
	reports = 0;
	UNIT_EQ(dmabuf_runtime_board_init(&rb, board, pools, count, count_report, NULL), want);
	UNIT_EQ(memcmp(&rb, &before, sizeof(rb)), 0);
#if defined(DMABUF_DEBUG)
	UNIT_EQ(reports, 1);
#endif
}

static void expect_refused(const struct dmabuf_pool *pools, uint32_t count, int want)
{
	expect_refused_on(&two_region_board, pools, count, want);
}

static void unknown_overlapping_or_too_many_pools_are_refused(void)
{
	struct dmabuf_pool outside = GENERAL(0x20000000u, host_memory, 0x1000, 0);
	expect_refused(&outside, 1, DMABUF_EINVAL);
	UNIT_CHECK_HELPER();
	/* Inside a region but smaller than one whole line once trimmed. */
	struct dmabuf_pool sliver = GENERAL(0x10000004u, host_memory, 40, 0);
	expect_refused(&sliver, 1, DMABUF_EINVAL);
	UNIT_CHECK_HELPER();
	struct dmabuf_pool overlapping[2] = {
		GENERAL(0x10000000u, host_memory, 0x2000, 0),
		GENERAL(0x10001000u, host_memory + 0x4000, 0x2000, 0),
	};
	expect_refused(overlapping, 2, DMABUF_EINVAL);
	UNIT_CHECK_HELPER();
	struct dmabuf_pool many[DMABUF_RUNTIME_MAX_REGIONS + 1];
	for (uint32_t i = 0; i < DMABUF_RUNTIME_MAX_REGIONS + 1; i++)
		many[i] = (struct dmabuf_pool)GENERAL(0x10000000u + i * 0x1000, host_memory + i * 0x1000, 0x1000, 0);
	expect_refused(many, DMABUF_RUNTIME_MAX_REGIONS + 1, DMABUF_ENOMEM);
	UNIT_CHECK_HELPER();
	expect_refused(NULL, 0, DMABUF_EINVAL);
}

/*
 * Dedicated pools on the ESP32-P4 (devices: 0 mipi-csi, 1 mipi-dsi, 2 ppa,
 * 3 spi2), as the P4 firmware lends a DPI panel's two frame buffers: each
 * 1024 x 600 RGB565, on ESP-IDF's 64-byte L2 line (the first one not on the
 * board's 128), reached by the camera and the display, owned by the display.
 */
#define P4_FB_BYTES (1024u * 600u * 2u)
#define P4_FB0 0x48400040u
#define P4_FB1 0x48540080u
#define P4_CSI 1u
#define P4_DSI 2u

static void p4_pools(struct dmabuf_pool pools[4], void *memory[4])
{
	static const uint32_t sizes[4] = { 32u * 1024u, 512u * 1024u, P4_FB_BYTES, P4_FB_BYTES };
	for (uint32_t i = 0; i < 4; i++)
		memory[i] = aligned_alloc(128, sizes[i]);
	pools[0] = (struct dmabuf_pool)GENERAL(0x4FF40000u, memory[0], sizes[0], DMABUF_REGION_CACHEABLE);
	pools[1] = (struct dmabuf_pool)GENERAL(0x48200000u, memory[1], sizes[1], DMABUF_REGION_CACHEABLE);
	pools[2] = (struct dmabuf_pool){ P4_FB0, memory[2], P4_FB_BYTES, DMABUF_REGION_CACHEABLE, 64, P4_CSI | P4_DSI,
					 P4_DSI };
	pools[3] = pools[2];
	pools[3].bus_base = P4_FB1;
	pools[3].cpu = memory[3];
}

static bool window_is(const struct dmabuf_window *w, dmabuf_addr_t base, uint64_t end)
{
	return w->base == base && (uint64_t)w->base + w->size == end;
}

static void dedicated_pools_are_whole_regions_their_owner_alone_is_confined_to(void)
{
	struct dmabuf_pool pools[4];
	void *memory[4];
	p4_pools(pools, memory);
	struct dmabuf_runtime_board rb;
	UNIT_EQ(dmabuf_runtime_board_init(&rb, &dmabuf_board_esp32p4, pools, 4, NULL, NULL), 0);
	/* Board order, then pool order: l2mem, the general PSRAM pool, the two frame buffers. */
	UNIT_EQ(rb.board.region_count, 4);
	UNIT_EQ(rb.regions[1].bus_base, 0x48200000u);
	UNIT_EQ(rb.regions[1].cache_line, 128);
	UNIT_EQ(rb.regions[2].bus_base, P4_FB0); /* whole: on the pool's line, not trimmed to 128 */
	UNIT_EQ(rb.regions[2].size, P4_FB_BYTES);
	UNIT_EQ(rb.regions[2].cache_line, 64);
	UNIT_EQ(rb.regions[2].flags, DMABUF_REGION_CACHEABLE);
	UNIT_ASSERT(rb.region_memory[2] == memory[2]);
	UNIT_EQ(rb.regions[3].bus_base, P4_FB1);
	UNIT_EQ(rb.regions[3].size, P4_FB_BYTES);
	const struct dmabuf_device_desc *dev = rb.board.devices;
	UNIT_ASSERT(dev == rb.devices);
	UNIT_EQ(rb.board.device_count, 4);
	/* mipi-csi: named by the pools, keeps the board's windows. */
	UNIT_EQ(dev[0].window_count, 2);
	UNIT_ASSERT(window_is(&dev[0].windows[1], 0x48000000u, 0x4C000000u));
	/* mipi-dsi: the frame buffers and nothing else. */
	UNIT_EQ(strcmp(dev[1].name, "mipi-dsi"), 0);
	UNIT_EQ(dev[1].align, 64);
	UNIT_EQ(dev[1].window_count, 2);
	UNIT_ASSERT(window_is(&dev[1].windows[0], P4_FB0, (uint64_t)P4_FB0 + P4_FB_BYTES));
	UNIT_ASSERT(window_is(&dev[1].windows[1], P4_FB1, (uint64_t)P4_FB1 + P4_FB_BYTES));
	/* ppa: L2MEM, and PSRAM with the frame buffers cut out. */
	UNIT_EQ(dev[2].window_count, 4);
	UNIT_ASSERT(window_is(&dev[2].windows[0], 0x4FF00000u, 0x4FFC0000u));
	UNIT_ASSERT(window_is(&dev[2].windows[1], 0x48000000u, P4_FB0));
	UNIT_ASSERT(window_is(&dev[2].windows[2], P4_FB0 + P4_FB_BYTES, P4_FB1));
	UNIT_ASSERT(window_is(&dev[2].windows[3], P4_FB1 + P4_FB_BYTES, 0x4C000000u));
	/* spi2 never reached PSRAM: as the board says. */
	UNIT_EQ(dev[3].window_count, 1);
	UNIT_ASSERT(window_is(&dev[3].windows[0], 0x4FF00000u, 0x4FFC0000u));
	/* Without its own line the first buffer loses a 128-byte line at each end. */
	pools[2].cache_line = 0;
	UNIT_EQ(dmabuf_runtime_board_init(&rb, &dmabuf_board_esp32p4, pools, 4, NULL, NULL), 0);
	UNIT_EQ(rb.regions[2].bus_base, P4_FB0 + 64u);
	UNIT_EQ(rb.regions[2].size, P4_FB_BYTES - 128u);
	for (uint32_t i = 0; i < 4; i++)
		free(memory[i]);
}

/* A buffer of @bytes for board device @device, placed at its first map:
 * where it landed, or 0 (mapping refused). */
static dmabuf_addr_t placed_for(struct dmabuf_ctx *ctx, int device, uint32_t bytes)
{
	dmabuf_handle_t buffer = 0, attachment = 0;
	struct dmabuf_mapping m = { 0 };
	if (dmabuf_export(ctx, bytes, "frame", DMABUF_EXPORT_DEFER_PLACEMENT, &buffer) ||
	    dmabuf_attach(ctx, buffer, device, &attachment) ||
	    dmabuf_map(ctx, attachment, DMABUF_TO_DEVICE, &m))
		return 0;
	return m.dma_addr; /* kept mapped: the storage stays taken */
}

static void a_display_frame_lands_on_a_frame_buffer_and_nothing_else_does(void)
{
	struct dmabuf_pool pools[4];
	void *memory[4];
	p4_pools(pools, memory);
	struct dmabuf_runtime_board rb;
	int err = dmabuf_runtime_board_init(&rb, &dmabuf_board_esp32p4, pools, 4, NULL, NULL);
	struct dmabuf_config config = { .board = &rb.board, .region_memory = rb.region_memory,
					.cache = &dmabuf_cache_none, .max_buffers = 8, .max_attachments = 8 };
	size_t need = err ? 0 : dmabuf_storage_size(&config);
	void *storage = need ? aligned_alloc(8, (need + 7) / 8 * 8) : NULL;
	struct dmabuf_ctx *ctx = NULL;
	if (storage)
		err = dmabuf_init(&ctx, storage, need, &config);
	dmabuf_addr_t display_first = 0, ppa_big = 1, ppa_small = 0, camera = 0, display_third = 1;
	if (!err && ctx) {
		display_first = placed_for(ctx, 1, P4_FB_BYTES);
		/* Too big for the general pools, and the buffers are closed to the PPA. */
		ppa_big = placed_for(ctx, 2, P4_FB_BYTES);
		ppa_small = placed_for(ctx, 2, 16384);
		/* The camera may capture into the other one. */
		camera = placed_for(ctx, 0, P4_FB_BYTES);
		display_third = placed_for(ctx, 1, P4_FB_BYTES);
		dmabuf_reset(ctx);
		dmabuf_deinit(ctx);
	}
	free(storage);
	for (uint32_t i = 0; i < 4; i++)
		free(memory[i]);
	UNIT_EQ(err, 0);
	UNIT_EQ(display_first, P4_FB0);
	UNIT_EQ(ppa_big, 0);
	UNIT_ASSERT(ppa_small >= 0x4FF40000u || (ppa_small >= 0x48200000u && ppa_small < 0x48280000u));
	UNIT_EQ(camera, P4_FB1);
	UNIT_EQ(display_third, 0);
}

static void bad_dedicated_pools_are_refused(void)
{
	struct dmabuf_pool pools[4];
	void *memory[4];
	p4_pools(pools, memory);
	struct dmabuf_pool bad = pools[2];
	bad.cache_line = 48;
	expect_refused_on(&dmabuf_board_esp32p4, &bad, 1, DMABUF_EINVAL);
	UNIT_CHECK_HELPER();
	bad = pools[2];
	bad.devices = 1u << 4; /* the P4 has 4 devices */
	bad.owners = 0;
	expect_refused_on(&dmabuf_board_esp32p4, &bad, 1, DMABUF_EINVAL);
	UNIT_CHECK_HELPER();
	bad = pools[2];
	bad.devices = P4_CSI; /* an owner it does not let reach it */
	expect_refused_on(&dmabuf_board_esp32p4, &bad, 1, DMABUF_EINVAL);
	UNIT_CHECK_HELPER();
	bad.devices = 0; /* owners without any device named: not a general pool either */
	expect_refused_on(&dmabuf_board_esp32p4, &bad, 1, DMABUF_EINVAL);
	UNIT_CHECK_HELPER();
	bad = pools[2];
	bad.devices = bad.owners = 1u << 3; /* spi2 cannot reach PSRAM */
	expect_refused_on(&dmabuf_board_esp32p4, &bad, 1, DMABUF_EINVAL);
	UNIT_CHECK_HELPER();
	/* Eight display buffers cut the camera's and the PPA's PSRAM window into
	 * nine pieces each: 8 + 10 + 10 + 1 windows. */
	struct dmabuf_pool many[8];
	for (uint32_t i = 0; i < 8; i++)
		many[i] = (struct dmabuf_pool){ 0x48400000u + i * 0x2000u, host_memory + i * 0x1000u, 0x1000u,
						DMABUF_REGION_CACHEABLE, 64, P4_DSI, P4_DSI };
	expect_refused_on(&dmabuf_board_esp32p4, many, 8, DMABUF_ENOMEM);
	UNIT_CHECK_HELPER();
	for (uint32_t i = 0; i < 4; i++)
		free(memory[i]);
}

/*
 * End to end: the pools each firmware configuration sets aside, on its real
 * board description; dmabuf_init takes the runtime board and every device
 * of the board gets a mapping of a buffer placed for it inside the pools.
 */
struct firmware_case {
	const char *board;
	struct {
		dmabuf_addr_t bus;
		uint32_t size;
		uint32_t flags;
	} pools[2];
};

static const struct firmware_case firmware_cases[] = {
	/* ChibiOS: the .ram0 block in SRAM1 (nf-interpreter's STM32F76x script). */
	{ "stm32f769i-disco", { { 0x20021000u, 96u * 1024u, DMABUF_REGION_CACHEABLE } } },
	/* ESP-IDF on the S3: internal DMA heap block + PSRAM block. */
	{ "esp32s3-octal-psram",
	  { { 0x3FCA0000u, 32u * 1024u, 0 }, { 0x3D100000u, 512u * 1024u, DMABUF_REGION_CACHEABLE } } },
	/* ESP-IDF on the P4: L2MEM block (cached through L1) + PSRAM block. */
	{ "esp32p4",
	  { { 0x4FF40000u, 32u * 1024u, DMABUF_REGION_CACHEABLE },
	    { 0x48200000u, 512u * 1024u, DMABUF_REGION_CACHEABLE } } },
};

static void map_for_every_device(const struct firmware_case *fc)
{
	const struct dmabuf_board *board = dmabuf_board_find(fc->board);
	UNIT_ASSERT(board != NULL);
	struct dmabuf_pool pools[2];
	uint32_t count = 0;
	void *memory[2] = { NULL, NULL };
	for (uint32_t i = 0; i < 2 && fc->pools[i].size; i++) {
		memory[i] = aligned_alloc(128, fc->pools[i].size);
		pools[count++] = (struct dmabuf_pool)GENERAL(fc->pools[i].bus, memory[i], fc->pools[i].size,
							     fc->pools[i].flags);
	}
	struct dmabuf_runtime_board rb;
	int err = dmabuf_runtime_board_init(&rb, board, pools, count, NULL, NULL);
	struct dmabuf_config config = {
		.board = &rb.board,
		.region_memory = rb.region_memory,
		.cache = &dmabuf_cache_none,
		.max_buffers = 8,
		.max_attachments = 8,
	};
	size_t need = err ? 0 : dmabuf_storage_size(&config);
	void *storage = need ? aligned_alloc(8, (need + 7) / 8 * 8) : NULL;
	struct dmabuf_ctx *ctx = NULL;
	if (storage)
		err = dmabuf_init(&ctx, storage, need, &config);
	for (uint32_t d = 0; !err && ctx && d < board->device_count; d++) {
		dmabuf_handle_t buffer = 0, attachment = 0;
		struct dmabuf_mapping m;
		err = dmabuf_export(ctx, 16384, board->devices[d].name, DMABUF_EXPORT_DEFER_PLACEMENT, &buffer);
		if (!err)
			err = dmabuf_attach(ctx, buffer, (int)d, &attachment);
		if (!err)
			err = dmabuf_map(ctx, attachment, DMABUF_BIDIRECTIONAL, &m);
		if (!err) {
			/* Placed inside one of the pools. */
			bool inside = false;
			for (uint32_t p = 0; p < count; p++)
				inside |= m.dma_addr >= pools[p].bus_base &&
					  (uint64_t)m.dma_addr + m.length <= (uint64_t)pools[p].bus_base + pools[p].size;
			if (!inside)
				err = -1000;
			dmabuf_unmap(ctx, attachment, &m, DMABUF_BIDIRECTIONAL);
		}
		dmabuf_detach(ctx, attachment);
		dmabuf_put(ctx, buffer);
	}
	if (ctx)
		dmabuf_deinit(ctx);
	free(storage);
	free(memory[0]);
	free(memory[1]);
	UNIT_EQ(err, 0);
	UNIT_ASSERT(ctx != NULL);
}

static void every_firmware_board_maps_every_device_inside_its_pools(void)
{
	for (size_t i = 0; i < sizeof(firmware_cases) / sizeof(firmware_cases[0]); i++) {
		map_for_every_device(&firmware_cases[i]);
		UNIT_CHECK_HELPER();
	}
}

const struct unit_suite suite_adapters_runtime_board = UNIT_SUITE(adapters_runtime_board,
	UNIT_TEST(pool_inside_one_region_keeps_its_attributes),
	UNIT_TEST(pool_across_two_regions_becomes_two_trimmed_regions),
	UNIT_TEST(cached_pool_in_an_uncached_region_is_cached),
	UNIT_TEST(regions_keep_the_board_order_whatever_the_pool_order),
	UNIT_TEST(unknown_overlapping_or_too_many_pools_are_refused),
	UNIT_TEST(dedicated_pools_are_whole_regions_their_owner_alone_is_confined_to),
	UNIT_TEST(a_display_frame_lands_on_a_frame_buffer_and_nothing_else_does),
	UNIT_TEST(bad_dedicated_pools_are_refused),
	UNIT_TEST(every_firmware_board_maps_every_device_inside_its_pools));
