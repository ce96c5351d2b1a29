/*
 * Lifecycle: export -> attach -> map -> unmap -> CPU access -> detach -> put,
 * refcounts, info/bufinfo, init/deinit, metadata budgets.
 */
#include <stdio.h>
#include <string.h>

#include "../../../native-interop/core/internal.h"
#include "fixture.h"

static void lifecycle_runs_end_to_end_and_returns_storage(void)
{
	struct dmabuf_ctx *ctx = fx_init(NULL);
	UNIT_ASSERT(ctx);
	dmabuf_handle_t buf = fx_export(ctx, 4096, "frame0", 0);
	UNIT_CHECK_HELPER();
	UNIT_ASSERT(buf > 0);
	struct dmabuf_info info = fx_info(ctx, buf);
	UNIT_EQ(strcmp(info.name, "frame0"), 0);
	UNIT_EQ(info.size, 4096);
	UNIT_EQ(info.region, FX_SRAM);
	UNIT_EQ(info.dma_addr, FX_SRAM_BASE);
	UNIT_EQ(info.refcount, 1);
	UNIT_EQ(info.attachments, 0);
	UNIT_EQ(info.ever_mapped, false);
	FX_CHECK(ctx);

	dmabuf_handle_t att = fx_attach(ctx, buf, FX_DMA);
	UNIT_CHECK_HELPER();
	UNIT_EQ(fx_info(ctx, buf).attachments, 1);
	FX_CHECK(ctx);

	struct dmabuf_mapping map;
	UNIT_EQ(dmabuf_map(ctx, att, DMABUF_TO_DEVICE, &map), 0);
	UNIT_EQ(map.dma_addr, FX_SRAM_BASE);
	UNIT_EQ(map.length, 4096);
	UNIT_EQ(map.segment_bytes, 65532);
	UNIT_EQ(map.segment_count, 1);
	UNIT_EQ(map.direction, DMABUF_TO_DEVICE);
	info = fx_info(ctx, buf);
	UNIT_EQ(info.device_mappings, 1);
	UNIT_EQ(info.ever_mapped, true);
	FX_CHECK(ctx);

	UNIT_EQ(dmabuf_unmap(ctx, att, &map, DMABUF_TO_DEVICE), 0);
	UNIT_EQ(fx_info(ctx, buf).device_mappings, 0);
	FX_CHECK(ctx);

	void *cpu = NULL;
	UNIT_EQ(dmabuf_begin_cpu_access(ctx, buf, DMABUF_FROM_DEVICE, 0, DMABUF_WHOLE, &cpu), 0);
	UNIT_ASSERT(cpu == fx_region_memory(FX_SRAM));
	UNIT_EQ(fx_info(ctx, buf).cpu_access, DMABUF_FROM_DEVICE);
	FX_CHECK(ctx);
	UNIT_EQ(dmabuf_end_cpu_access(ctx, buf, DMABUF_FROM_DEVICE, 0, DMABUF_WHOLE), 0);
	UNIT_EQ(fx_info(ctx, buf).cpu_access, 0);

	UNIT_EQ(dmabuf_detach(ctx, att), 0);
	UNIT_EQ(fx_info(ctx, buf).attachments, 0);
	FX_CHECK(ctx);
	UNIT_EQ(dmabuf_put(ctx, buf), 0);
	struct dmabuf_info gone;
	UNIT_EQ(dmabuf_get_info(ctx, buf, &gone), DMABUF_EBADF);

	struct dmabuf_heap_stats stats;
	dmabuf_heap_stats(ctx, &stats);
	UNIT_EQ(stats.in_use, 0);
	UNIT_EQ(stats.live_buffers, 0);
	UNIT_EQ(stats.live_attachments, 0);
	fx_done(ctx);
}

static void cpu_pointer_points_at_offset_in_region_view(void)
{
	struct dmabuf_ctx *ctx = fx_init(NULL);
	UNIT_ASSERT(ctx);
	dmabuf_handle_t first = fx_export(ctx, 100, "first", 0);
	dmabuf_handle_t second = fx_export(ctx, 100, "second", 0);
	UNIT_CHECK_HELPER();
	struct dmabuf_info info = fx_info(ctx, second);
	UNIT_EQ(info.dma_addr, FX_SRAM_BASE + 128); /* 100 bytes padded to 4 lines */
	void *cpu;
	UNIT_EQ(dmabuf_begin_cpu_access(ctx, second, DMABUF_TO_DEVICE, 10, 20, &cpu), 0);
	UNIT_ASSERT((uint8_t *)cpu == fx_region_memory(FX_SRAM) + 128 + 10);
	UNIT_EQ(dmabuf_end_cpu_access(ctx, second, DMABUF_TO_DEVICE, 10, 20), 0);
	UNIT_EQ(dmabuf_put(ctx, first), 0);
	UNIT_EQ(dmabuf_put(ctx, second), 0);
	fx_done(ctx);
}

static void cpu_pointer_is_given_only_inside_the_open_access(void)
{
	struct dmabuf_ctx *ctx = fx_init(NULL);
	UNIT_ASSERT(ctx);
	dmabuf_handle_t buf = fx_export(ctx, 100, "window", 0);
	UNIT_CHECK_HELPER();
	void *begun, *cpu = NULL;
	UNIT_EQ(dmabuf_cpu_pointer(ctx, buf, 0, 1, &cpu), DMABUF_EPERM); /* nothing open */
	UNIT_EQ(dmabuf_begin_cpu_access(ctx, buf, DMABUF_TO_DEVICE, 10, 20, &begun), 0);
	UNIT_EQ(dmabuf_cpu_pointer(ctx, buf, 10, 20, &cpu), 0);
	UNIT_ASSERT(cpu == begun);
	UNIT_EQ(dmabuf_cpu_pointer(ctx, buf, 25, 5, &cpu), 0);
	UNIT_ASSERT((uint8_t *)cpu == (uint8_t *)begun + 15);
	UNIT_EQ(dmabuf_cpu_pointer(ctx, buf, 30, 0, &cpu), 0); /* empty range at the end */
	cpu = NULL;
	UNIT_EQ(dmabuf_cpu_pointer(ctx, buf, 9, 1, &cpu), DMABUF_EPERM);   /* before the window */
	UNIT_EQ(dmabuf_cpu_pointer(ctx, buf, 25, 6, &cpu), DMABUF_EPERM);  /* past its end */
	UNIT_EQ(dmabuf_cpu_pointer(ctx, buf, 11, 0xFFFFFFFFu, &cpu), DMABUF_EPERM); /* would wrap */
	UNIT_EQ(dmabuf_cpu_pointer(ctx, buf, 31, 0, &cpu), DMABUF_EPERM);
	UNIT_ASSERT(cpu == NULL);
	UNIT_EQ(dmabuf_cpu_pointer(ctx, buf, 10, 1, NULL), DMABUF_EINVAL);
	UNIT_EQ(dmabuf_cpu_pointer(ctx, buf + 1, 10, 1, &cpu), DMABUF_EBADF);
	UNIT_EQ(dmabuf_end_cpu_access(ctx, buf, DMABUF_TO_DEVICE, 10, 20), 0);
	UNIT_EQ(dmabuf_cpu_pointer(ctx, buf, 10, 1, &cpu), DMABUF_EPERM); /* closed again */
	UNIT_EQ(dmabuf_put(ctx, buf), 0);
	fx_done(ctx);
}

static void refcount_keeps_buffer_alive_until_last_put(void)
{
	struct dmabuf_ctx *ctx = fx_init(NULL);
	UNIT_ASSERT(ctx);
	dmabuf_handle_t buf = fx_export(ctx, 64, "shared", 0);
	UNIT_CHECK_HELPER();
	UNIT_EQ(dmabuf_get(ctx, buf), 0);
	UNIT_EQ(dmabuf_get(ctx, buf), 0);
	UNIT_EQ(fx_info(ctx, buf).refcount, 3);
	UNIT_EQ(dmabuf_put(ctx, buf), 0);
	UNIT_EQ(dmabuf_put(ctx, buf), 0);
	UNIT_EQ(fx_info(ctx, buf).refcount, 1);
	FX_CHECK(ctx);
	UNIT_EQ(dmabuf_put(ctx, buf), 0);
	UNIT_EQ(dmabuf_put(ctx, buf), DMABUF_EBADF);
	UNIT_EQ(dmabuf_get(ctx, buf), DMABUF_EBADF);
	fx_done(ctx);
}

static void put_of_handle_zero_is_a_noop(void)
{
	struct dmabuf_ctx *ctx = fx_init(NULL);
	UNIT_ASSERT(ctx);
	UNIT_EQ(dmabuf_put(ctx, 0), 0);
	UNIT_EQ(fx_messages, 0);
	fx_done(ctx);
}

static void name_is_copied_and_truncated(void)
{
	struct dmabuf_ctx *ctx = fx_init(NULL);
	UNIT_ASSERT(ctx);
	char name[32] = "a_rather_long_buffer_name";
	dmabuf_handle_t buf = fx_export(ctx, 64, name, 0);
	UNIT_CHECK_HELPER();
	name[0] = 'X';
	struct dmabuf_info info = fx_info(ctx, buf);
	UNIT_EQ(strlen(info.name), DMABUF_NAME_MAX - 1);
	UNIT_EQ(strncmp(info.name, "a_rather_long_b", DMABUF_NAME_MAX), 0);
	dmabuf_handle_t unnamed = fx_export(ctx, 64, NULL, 0);
	UNIT_CHECK_HELPER();
	UNIT_EQ(fx_info(ctx, unnamed).name[0], '\0');
	UNIT_EQ(dmabuf_put(ctx, buf), 0);
	UNIT_EQ(dmabuf_put(ctx, unnamed), 0);
	fx_done(ctx);
}

static void bufinfo_lists_every_live_buffer_with_state(void)
{
	struct dmabuf_ctx *ctx = fx_init(NULL);
	UNIT_ASSERT(ctx);
	dmabuf_handle_t frame = fx_export(ctx, 153600, "frame0", 0);
	dmabuf_handle_t later = fx_export(ctx, 512, "later", DMABUF_EXPORT_DEFER_PLACEMENT);
	dmabuf_handle_t att = fx_attach(ctx, frame, FX_DMA);
	UNIT_CHECK_HELPER();
	struct dmabuf_mapping map;
	UNIT_EQ(dmabuf_map(ctx, att, DMABUF_FROM_DEVICE, &map), 0);

	static char text[1024];
	int need = dmabuf_bufinfo(ctx, text, sizeof(text));
	UNIT_EQ(need, (int)strlen(text));
	printf("%s", text);
	UNIT_ASSERT(strstr(text, "frame0"));
	UNIT_ASSERT(strstr(text, "153600"));
	UNIT_ASSERT(strstr(text, "sram"));
	UNIT_ASSERT(strstr(text, "0x2000a800")); /* a frame sits at the high end of sram (heap.c) */
	UNIT_ASSERT(strstr(text, "fixed stale"));
	UNIT_ASSERT(strstr(text, "later"));
	UNIT_ASSERT(strstr(text, "unplaced"));
	UNIT_ASSERT(strstr(text, "2 buffers"));

	/* Like snprintf: a short buffer gets a NUL-terminated prefix and the
	 * full length is still returned. */
	char small[16];
	UNIT_EQ(dmabuf_bufinfo(ctx, small, sizeof(small)), need);
	UNIT_EQ(strlen(small), sizeof(small) - 1);
	UNIT_EQ(strncmp(small, text, sizeof(small) - 1), 0);
	UNIT_EQ(dmabuf_bufinfo(ctx, NULL, 0), need);

	UNIT_EQ(dmabuf_unmap(ctx, att, &map, DMABUF_FROM_DEVICE), 0);
	UNIT_EQ(dmabuf_detach(ctx, att), 0);
	UNIT_EQ(dmabuf_put(ctx, frame), 0);
	UNIT_EQ(dmabuf_put(ctx, later), 0);
	fx_done(ctx);
}

static void deinit_reports_each_leaked_buffer_by_name(void)
{
	struct dmabuf_ctx *ctx = fx_init(NULL);
	UNIT_ASSERT(ctx);
	dmabuf_handle_t a = fx_export(ctx, 64, "leak_a", 0);
	dmabuf_handle_t b = fx_export(ctx, 64, "leak_b", 0);
	UNIT_CHECK_HELPER();
	fx_clear_messages();
	UNIT_EQ(dmabuf_deinit(ctx), DMABUF_EBUSY);
#ifdef DMABUF_DEBUG
	UNIT_EQ(fx_messages, 2);
#endif
	UNIT_ASSERT(fx_message_has("dmabuf_deinit: leak: buffer 'leak_b'"));
	/* The context stays usable after a refused deinit. */
	FX_CHECK(ctx);
	UNIT_EQ(dmabuf_put(ctx, a), 0);
	UNIT_EQ(dmabuf_put(ctx, b), 0);
	fx_done(ctx);
}

static void device_find_maps_names_to_indexes(void)
{
	struct dmabuf_ctx *ctx = fx_init(NULL);
	UNIT_ASSERT(ctx);
	UNIT_EQ(dmabuf_device_find(ctx, "gdma"), FX_GDMA);
	UNIT_EQ(dmabuf_device_find(ctx, "mdma"), FX_MDMA);
	UNIT_EQ(dmabuf_device_find(ctx, "nope"), DMABUF_ENOENT);
	UNIT_ASSERT(fx_message_has("device: no device 'nope'"));
	UNIT_EQ(dmabuf_device_find(ctx, NULL), DMABUF_EINVAL);
	fx_done(ctx);
}

static void strerror_names_every_code(void)
{
	/* Every code of errors.h: the code table and the packed names of
	 * errors.c must stay in step. */
	static const struct {
		int code;
		const char *name;
	} expected[] = {
		{ DMABUF_OK, "OK" },         { DMABUF_EPERM, "EPERM" },     { DMABUF_ENOENT, "ENOENT" },
		{ DMABUF_EIO, "EIO" },       { DMABUF_EBADF, "EBADF" },     { DMABUF_ENOMEM, "ENOMEM" },
		{ DMABUF_EFAULT, "EFAULT" }, { DMABUF_EBUSY, "EBUSY" },     { DMABUF_EEXIST, "EEXIST" },
		{ DMABUF_EINVAL, "EINVAL" }, { DMABUF_EDOM, "EDOM" },       { DMABUF_ERANGE, "ERANGE" },
		{ DMABUF_ENOTSUP, "ENOTSUP" }, { DMABUF_ETIMEDOUT, "ETIMEDOUT" }, { DMABUF_EAGAIN, "EAGAIN" },
		{ DMABUF_ESHUTDOWN, "ESHUTDOWN" },
	};
	for (size_t i = 0; i < sizeof(expected) / sizeof(expected[0]); i++)
		UNIT_EQ(strcmp(dmabuf_strerror(expected[i].code), expected[i].name), 0);
	UNIT_EQ(strcmp(dmabuf_strerror(-1000), "E?"), 0);
	UNIT_EQ(strcmp(dmabuf_strerror(1), "E?"), 0);
	UNIT_EQ(strcmp(dmabuf_strerror(-3), "E?"), 0);
}

/* ---- init / storage ---------------------------------------------------- */

static uint64_t init_storage[4096];

static int init_with_board(const struct dmabuf_board *board, struct dmabuf_ctx **ctx)
{
	struct dmabuf_config config = fx_config;
	config.board = board;
	return dmabuf_init(ctx, init_storage, sizeof(init_storage), &config);
}

static void init_checks_config_and_storage(void)
{
	struct dmabuf_ctx *ctx = fx_init(NULL); /* fills fx_config */
	UNIT_ASSERT(ctx);
	fx_done(ctx);

	size_t need = dmabuf_storage_size(&fx_config);
	UNIT_ASSERT(need > sizeof(struct dmabuf_ctx));
	UNIT_EQ(dmabuf_storage_size(NULL), 0);

	struct dmabuf_ctx *other = NULL;
	UNIT_EQ(dmabuf_init(&other, init_storage, need - 8, &fx_config), DMABUF_ENOMEM);
	UNIT_ASSERT(fx_message_has("dmabuf_init: storage:"));
	UNIT_EQ(dmabuf_init(&other, (uint8_t *)init_storage + 4, need, &fx_config), DMABUF_EINVAL);
	UNIT_EQ(dmabuf_init(NULL, init_storage, need, &fx_config), DMABUF_EINVAL);
	UNIT_EQ(dmabuf_init(&other, NULL, need, &fx_config), DMABUF_EINVAL);
	UNIT_EQ(dmabuf_init(&other, init_storage, need, NULL), DMABUF_EINVAL);
	UNIT_ASSERT(other == NULL);

	struct dmabuf_config config = fx_config;
	config.max_buffers = 0;
	UNIT_EQ(dmabuf_storage_size(&config), 0);
	UNIT_EQ(dmabuf_init(&other, init_storage, sizeof(init_storage), &config), DMABUF_EINVAL);
	config = fx_config;
	config.cache = &(struct dmabuf_cache_ops){ .clean_range = dmabuf_cache_none.clean_range };
	UNIT_EQ(dmabuf_init(&other, init_storage, sizeof(init_storage), &config), DMABUF_EINVAL);
	UNIT_ASSERT(fx_message_has("mandatory"));

	UNIT_EQ(dmabuf_init(&other, init_storage, need, &fx_config), 0);
	UNIT_EQ(dmabuf_check(other), 0);
	UNIT_EQ(dmabuf_deinit(other), 0);
}

static void init_rejects_inconsistent_boards(void)
{
	struct dmabuf_ctx *ctx = fx_init(NULL);
	UNIT_ASSERT(ctx);
	fx_done(ctx);

	struct dmabuf_region_desc regions[FX_REGION_COUNT];
	struct dmabuf_device_desc devices[FX_DEVICE_COUNT];
	struct dmabuf_board board = fx_board;
	board.regions = regions;
	board.devices = devices;
	struct dmabuf_ctx *other = NULL;

	memcpy(regions, fx_board.regions, sizeof(regions));
	memcpy(devices, fx_board.devices, sizeof(devices));
	UNIT_EQ(init_with_board(&board, &other), 0);
	UNIT_EQ(dmabuf_deinit(other), 0);

	regions[FX_SRAM_NC].bus_base = FX_SRAM_BASE + 4096; /* inside sram */
	UNIT_EQ(init_with_board(&board, &other), DMABUF_EINVAL);
	UNIT_ASSERT(fx_message_has("overlap"));
	memcpy(regions, fx_board.regions, sizeof(regions));
	regions[FX_SRAM].cache_line = 48;
	UNIT_EQ(init_with_board(&board, &other), DMABUF_EINVAL);
	UNIT_ASSERT(fx_message_has("power of two"));
	memcpy(regions, fx_board.regions, sizeof(regions));
	regions[FX_PSRAM].bus_base = FX_PSRAM_BASE + 32; /* not on a 64-byte line */
	UNIT_EQ(init_with_board(&board, &other), DMABUF_EINVAL);
	memcpy(regions, fx_board.regions, sizeof(regions));
	regions[FX_PSRAM].bus_base = 0xFFFF8000u; /* wraps past 4 GiB */
	UNIT_EQ(init_with_board(&board, &other), DMABUF_EINVAL);
	memcpy(regions, fx_board.regions, sizeof(regions));

	devices[FX_GDMA].window_count = 0;
	UNIT_EQ(init_with_board(&board, &other), DMABUF_EINVAL);
	UNIT_ASSERT(fx_message_has("no window"));
	memcpy(devices, fx_board.devices, sizeof(devices));
	devices[FX_GDMA].align = 3;
	UNIT_EQ(init_with_board(&board, &other), DMABUF_EINVAL);
	memcpy(devices, fx_board.devices, sizeof(devices));
	devices[FX_GDMA].max_segment_bytes = 2; /* below align 4: no segment fits */
	UNIT_EQ(init_with_board(&board, &other), DMABUF_EINVAL);
	memcpy(devices, fx_board.devices, sizeof(devices));
	board.region_count = 0;
	UNIT_EQ(init_with_board(&board, &other), DMABUF_EINVAL);
}

static void metadata_fits_the_32bit_budget(void)
{
	printf("  sizeof: buffer %u (<= 64), attachment %u (<= 48), block descriptor %u, context %u\n",
	       (unsigned)sizeof(struct dmabuf_buffer), (unsigned)sizeof(struct dmabuf_attachment),
	       (unsigned)sizeof(struct dmabuf_heap_block), (unsigned)sizeof(struct dmabuf_ctx));
	/* No pointers in either: the 32-bit budget holds on 64-bit hosts too. */
	UNIT_ASSERT(sizeof(struct dmabuf_buffer) <= 64);
	UNIT_ASSERT(sizeof(struct dmabuf_attachment) <= 48);
}

const struct unit_suite suite_core_lifecycle = UNIT_SUITE(core_lifecycle,
	UNIT_TEST(lifecycle_runs_end_to_end_and_returns_storage),
	UNIT_TEST(cpu_pointer_points_at_offset_in_region_view),
	UNIT_TEST(cpu_pointer_is_given_only_inside_the_open_access),
	UNIT_TEST(refcount_keeps_buffer_alive_until_last_put),
	UNIT_TEST(put_of_handle_zero_is_a_noop),
	UNIT_TEST(name_is_copied_and_truncated),
	UNIT_TEST(bufinfo_lists_every_live_buffer_with_state),
	UNIT_TEST(deinit_reports_each_leaked_buffer_by_name),
	UNIT_TEST(device_find_maps_names_to_indexes),
	UNIT_TEST(strerror_names_every_code),
	UNIT_TEST(init_checks_config_and_storage),
	UNIT_TEST(init_rejects_inconsistent_boards),
	UNIT_TEST(metadata_fits_the_32bit_budget));
