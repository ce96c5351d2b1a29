/*
 * Misuse and bad input: the switchable checker rules, the always-on state
 * rules, handles, ranges and arguments. Each failure returns its code, sends
 * exactly one message naming the rule (debug builds), and changes nothing.
 */
#include <string.h>

#include "fixture.h"

/* A failed call produced exactly one new message (debug builds). */
#ifdef DMABUF_DEBUG
#define EXPECT_ONE_MESSAGE(before) UNIT_EQ(fx_messages, (before) + 1)
#else
#define EXPECT_ONE_MESSAGE(before) ((void)(before))
#endif

struct scene {
	struct dmabuf_ctx *ctx;
	dmabuf_handle_t buf;
	dmabuf_handle_t att;
};

static void scene_open(struct scene *s, const struct fx_options *options)
{
	s->buf = 0;
	s->att = 0;
	s->ctx = fx_init(options);
	if (!s->ctx)
		return;
	s->buf = fx_export(s->ctx, 4096, "frame0", 0);
	s->att = fx_attach(s->ctx, s->buf, FX_DMA);
}

static void scene_close(struct scene *s)
{
	UNIT_EQ(dmabuf_detach(s->ctx, s->att), 0);
	UNIT_EQ(dmabuf_put(s->ctx, s->buf), 0);
	fx_done(s->ctx);
}

static void checker_refuses_map_while_cpu_holds_a_writing_access(void)
{
	struct scene s;
	scene_open(&s, NULL);
	UNIT_CHECK_HELPER();
	void *cpu;
	struct dmabuf_mapping map;
	UNIT_EQ(dmabuf_begin_cpu_access(s.ctx, s.buf, DMABUF_TO_DEVICE, 0, 64, &cpu), 0);
	uint32_t before = fx_messages;
	UNIT_EQ(dmabuf_map(s.ctx, s.att, DMABUF_TO_DEVICE, &map), DMABUF_EBUSY);
	EXPECT_ONE_MESSAGE(before);
	UNIT_ASSERT(fx_message_has("dmabuf_map: cpu-owns: the CPU holds a to-device access to buffer 'frame0'"));
	UNIT_EQ(fx_info(s.ctx, s.buf).device_mappings, 0);
	UNIT_EQ(fx_info(s.ctx, s.buf).ever_mapped, false);
	UNIT_EQ(dmabuf_end_cpu_access(s.ctx, s.buf, DMABUF_TO_DEVICE, 0, 64), 0);
	/* A reading access does not block a map that only reads. */
	UNIT_EQ(dmabuf_begin_cpu_access(s.ctx, s.buf, DMABUF_FROM_DEVICE, 0, 64, &cpu), 0);
	UNIT_EQ(dmabuf_map(s.ctx, s.att, DMABUF_TO_DEVICE, &map), 0);
	UNIT_EQ(dmabuf_unmap(s.ctx, s.att, &map, DMABUF_TO_DEVICE), 0);
	UNIT_EQ(dmabuf_end_cpu_access(s.ctx, s.buf, DMABUF_FROM_DEVICE, 0, 64), 0);
	scene_close(&s);
}

/* The device would write under the CPU's read window, which keeps showing
 * the lines the CPU already holds: refused, both ways the device writes. */
static void checker_refuses_a_writing_map_while_cpu_holds_a_reading_access(void)
{
	struct scene s;
	scene_open(&s, NULL);
	UNIT_CHECK_HELPER();
	void *cpu;
	struct dmabuf_mapping map;
	UNIT_EQ(dmabuf_begin_cpu_access(s.ctx, s.buf, DMABUF_FROM_DEVICE, 0, 64, &cpu), 0);
	uint32_t before = fx_messages;
	UNIT_EQ(dmabuf_map(s.ctx, s.att, DMABUF_FROM_DEVICE, &map), DMABUF_EBUSY);
	EXPECT_ONE_MESSAGE(before);
	UNIT_ASSERT(fx_message_has("dmabuf_map: cpu-owns: the CPU holds a from-device access to buffer 'frame0' at 0+64; device 'dma' must wait for its end to map it from-device"));
	UNIT_EQ(dmabuf_map(s.ctx, s.att, DMABUF_BIDIRECTIONAL, &map), DMABUF_EBUSY);
	UNIT_EQ(fx_info(s.ctx, s.buf).device_mappings, 0);
	UNIT_EQ(fx_info(s.ctx, s.buf).ever_mapped, false);
	UNIT_EQ(dmabuf_end_cpu_access(s.ctx, s.buf, DMABUF_FROM_DEVICE, 0, 64), 0);
	UNIT_EQ(dmabuf_map(s.ctx, s.att, DMABUF_FROM_DEVICE, &map), 0);
	UNIT_EQ(dmabuf_unmap(s.ctx, s.att, &map, DMABUF_FROM_DEVICE), 0);
	scene_close(&s);
}

static void checker_refuses_cpu_access_while_device_holds_a_writing_mapping(void)
{
	struct scene s;
	scene_open(&s, NULL);
	UNIT_CHECK_HELPER();
	void *cpu = NULL;
	struct dmabuf_mapping map;
	UNIT_EQ(dmabuf_map(s.ctx, s.att, DMABUF_BIDIRECTIONAL, &map), 0);
	uint32_t before = fx_messages;
	UNIT_EQ(dmabuf_begin_cpu_access(s.ctx, s.buf, DMABUF_FROM_DEVICE, 0, DMABUF_WHOLE, &cpu), DMABUF_EBUSY);
	EXPECT_ONE_MESSAGE(before);
	UNIT_ASSERT(fx_message_has("dmabuf_begin_cpu_access: device-owns: device 'dma' holds a bidirectional mapping of buffer 'frame0'"));
	UNIT_ASSERT(cpu == NULL);
	UNIT_EQ(fx_info(s.ctx, s.buf).cpu_access, 0);
	UNIT_EQ(dmabuf_unmap(s.ctx, s.att, &map, DMABUF_BIDIRECTIONAL), 0);
	/* A device that only reads does not block the CPU. */
	UNIT_EQ(dmabuf_map(s.ctx, s.att, DMABUF_TO_DEVICE, &map), 0);
	UNIT_EQ(dmabuf_begin_cpu_access(s.ctx, s.buf, DMABUF_FROM_DEVICE, 0, DMABUF_WHOLE, &cpu), 0);
	UNIT_EQ(dmabuf_end_cpu_access(s.ctx, s.buf, DMABUF_FROM_DEVICE, 0, DMABUF_WHOLE), 0);
	UNIT_EQ(dmabuf_unmap(s.ctx, s.att, &map, DMABUF_TO_DEVICE), 0);
	scene_close(&s);
}

static void checker_off_lets_cpu_and_device_overlap(void)
{
	struct fx_options options = { .checker_off = true };
	struct scene s;
	scene_open(&s, &options);
	UNIT_CHECK_HELPER();
	void *cpu;
	struct dmabuf_mapping map;
	UNIT_EQ(dmabuf_begin_cpu_access(s.ctx, s.buf, DMABUF_TO_DEVICE, 0, 64, &cpu), 0);
	UNIT_EQ(dmabuf_map(s.ctx, s.att, DMABUF_FROM_DEVICE, &map), 0);
	UNIT_EQ(dmabuf_end_cpu_access(s.ctx, s.buf, DMABUF_TO_DEVICE, 0, 64), 0);
	UNIT_EQ(dmabuf_begin_cpu_access(s.ctx, s.buf, DMABUF_FROM_DEVICE, 0, 64, &cpu), 0);
	UNIT_EQ(dmabuf_end_cpu_access(s.ctx, s.buf, DMABUF_FROM_DEVICE, 0, 64), 0);
	/* Switched on at run time, the rule applies again. */
	dmabuf_set_checker(s.ctx, true);
	UNIT_EQ(dmabuf_begin_cpu_access(s.ctx, s.buf, DMABUF_FROM_DEVICE, 0, 64, &cpu), DMABUF_EBUSY);
	dmabuf_set_checker(s.ctx, false);
	UNIT_EQ(dmabuf_begin_cpu_access(s.ctx, s.buf, DMABUF_FROM_DEVICE, 0, 64, &cpu), 0);
	/* Still only one access at a time: that is not a checker rule. */
	UNIT_EQ(dmabuf_begin_cpu_access(s.ctx, s.buf, DMABUF_FROM_DEVICE, 0, 64, &cpu), DMABUF_EBUSY);
	UNIT_ASSERT(fx_message_has("cpu-access: buffer 'frame0' already has a from-device access open"));
	UNIT_EQ(dmabuf_end_cpu_access(s.ctx, s.buf, DMABUF_FROM_DEVICE, 0, 64), 0);
	UNIT_EQ(dmabuf_unmap(s.ctx, s.att, &map, DMABUF_FROM_DEVICE), 0);
	scene_close(&s);
}

static void double_put_and_double_detach_are_stale_handles(void)
{
	struct scene s;
	scene_open(&s, NULL);
	UNIT_CHECK_HELPER();
	UNIT_EQ(dmabuf_detach(s.ctx, s.att), 0);
	uint32_t before = fx_messages;
	UNIT_EQ(dmabuf_detach(s.ctx, s.att), DMABUF_EBADF);
	EXPECT_ONE_MESSAGE(before);
	UNIT_ASSERT(fx_message_has("dmabuf_detach: handle:"));
	UNIT_ASSERT(fx_message_has("is stale, not a live attachment"));
	UNIT_EQ(dmabuf_put(s.ctx, s.buf), 0);
	UNIT_EQ(dmabuf_put(s.ctx, s.buf), DMABUF_EBADF);
	UNIT_ASSERT(fx_message_has("dmabuf_put: handle:"));
	UNIT_ASSERT(fx_message_has("is stale, not a live buffer"));
	fx_done(s.ctx);
}

static void unmap_must_name_the_mapping_and_direction_it_maps(void)
{
	struct scene s;
	scene_open(&s, NULL);
	UNIT_CHECK_HELPER();
	struct dmabuf_mapping map;
	UNIT_EQ(dmabuf_unmap(s.ctx, s.att, &map, DMABUF_TO_DEVICE), DMABUF_EPERM);
	UNIT_ASSERT(fx_message_has("dmabuf_unmap: not-mapped: device 'dma' has no mapping of buffer 'frame0'"));
	UNIT_EQ(dmabuf_map(s.ctx, s.att, DMABUF_TO_DEVICE, &map), 0);
	UNIT_EQ(dmabuf_map(s.ctx, s.att, DMABUF_TO_DEVICE, &map), DMABUF_EEXIST);
	UNIT_ASSERT(fx_message_has("dmabuf_map: mapped: device 'dma' already maps buffer 'frame0'"));

	UNIT_EQ(dmabuf_unmap(s.ctx, s.att, &map, DMABUF_FROM_DEVICE), DMABUF_EPERM);
	UNIT_ASSERT(fx_message_has("dmabuf_unmap: direction: device 'dma' mapped buffer 'frame0' to-device, unmapped from-device"));
	struct dmabuf_mapping forged = map;
	forged.dma_addr += 32;
	UNIT_EQ(dmabuf_unmap(s.ctx, s.att, &forged, DMABUF_TO_DEVICE), DMABUF_EPERM);
	UNIT_ASSERT(fx_message_has("dmabuf_unmap: mapping: 0x20000020+4096 is not the mapping"));
	forged = map;
	forged.segment_count = 2;
	UNIT_EQ(dmabuf_unmap(s.ctx, s.att, &forged, DMABUF_TO_DEVICE), DMABUF_EPERM);
	UNIT_EQ(fx_info(s.ctx, s.buf).device_mappings, 1);

	UNIT_EQ(dmabuf_unmap(s.ctx, s.att, &map, DMABUF_TO_DEVICE), 0);
	UNIT_EQ(dmabuf_unmap(s.ctx, s.att, &map, DMABUF_TO_DEVICE), DMABUF_EPERM); /* double unmap */
	UNIT_ASSERT(fx_message_has("double unmap"));
	scene_close(&s);
}

static void detach_while_mapped_is_busy(void)
{
	struct scene s;
	scene_open(&s, NULL);
	UNIT_CHECK_HELPER();
	struct dmabuf_mapping map;
	UNIT_EQ(dmabuf_map(s.ctx, s.att, DMABUF_FROM_DEVICE, &map), 0);
	uint32_t before = fx_messages;
	UNIT_EQ(dmabuf_detach(s.ctx, s.att), DMABUF_EBUSY);
	EXPECT_ONE_MESSAGE(before);
	UNIT_ASSERT(fx_message_has("dmabuf_detach: mapped: device 'dma' still maps buffer 'frame0'"));
	UNIT_EQ(fx_info(s.ctx, s.buf).attachments, 1);
	UNIT_EQ(dmabuf_unmap(s.ctx, s.att, &map, DMABUF_FROM_DEVICE), 0);
	scene_close(&s);
}

static void last_put_with_attachments_or_cpu_access_is_busy(void)
{
	struct scene s;
	scene_open(&s, NULL);
	UNIT_CHECK_HELPER();
	UNIT_EQ(dmabuf_put(s.ctx, s.buf), DMABUF_EBUSY);
	UNIT_ASSERT(fx_message_has("dmabuf_put: busy: last reference of buffer 'frame0' dropped with 1 attachments"));
	UNIT_EQ(fx_info(s.ctx, s.buf).refcount, 1);
	/* Not the last reference: fine. */
	UNIT_EQ(dmabuf_get(s.ctx, s.buf), 0);
	UNIT_EQ(dmabuf_put(s.ctx, s.buf), 0);
	UNIT_EQ(dmabuf_detach(s.ctx, s.att), 0);

	void *cpu;
	UNIT_EQ(dmabuf_begin_cpu_access(s.ctx, s.buf, DMABUF_FROM_DEVICE, 0, DMABUF_WHOLE, &cpu), 0);
	UNIT_EQ(dmabuf_put(s.ctx, s.buf), DMABUF_EBUSY);
	UNIT_ASSERT(fx_message_has("dropped with a CPU access open"));
	UNIT_EQ(dmabuf_end_cpu_access(s.ctx, s.buf, DMABUF_FROM_DEVICE, 0, DMABUF_WHOLE), 0);
	UNIT_EQ(dmabuf_put(s.ctx, s.buf), 0);
	fx_done(s.ctx);
}

static void end_cpu_access_must_match_the_open_access(void)
{
	struct scene s;
	scene_open(&s, NULL);
	UNIT_CHECK_HELPER();
	UNIT_EQ(dmabuf_end_cpu_access(s.ctx, s.buf, DMABUF_TO_DEVICE, 0, DMABUF_WHOLE), DMABUF_EPERM);
	UNIT_ASSERT(fx_message_has("dmabuf_end_cpu_access: not-open: buffer 'frame0'"));
	/* Bad arguments are named as such, access open or not. */
	UNIT_EQ(dmabuf_end_cpu_access(s.ctx, s.buf, DMABUF_TO_DEVICE, 0, 0), DMABUF_EINVAL);
	UNIT_ASSERT(fx_message_has("dmabuf_end_cpu_access: range: length 0"));
	UNIT_EQ(dmabuf_end_cpu_access(s.ctx, s.buf, DMABUF_TO_DEVICE, 4000, 100), DMABUF_ERANGE);
	UNIT_ASSERT(fx_message_has("dmabuf_end_cpu_access: range: 4000+100 is outside buffer 'frame0'"));
	UNIT_EQ(dmabuf_end_cpu_access(s.ctx, s.buf, DMABUF_TO_DEVICE, 4096, DMABUF_WHOLE), DMABUF_ERANGE);
	void *cpu;
	UNIT_EQ(dmabuf_begin_cpu_access(s.ctx, s.buf, DMABUF_TO_DEVICE, 96, DMABUF_WHOLE, &cpu), 0);
	UNIT_EQ(dmabuf_end_cpu_access(s.ctx, s.buf, DMABUF_FROM_DEVICE, 96, DMABUF_WHOLE), DMABUF_EPERM);
	UNIT_ASSERT(fx_message_has("dmabuf_end_cpu_access: mismatch: buffer 'frame0' has a to-device access open at 96+4000"));
	UNIT_EQ(dmabuf_end_cpu_access(s.ctx, s.buf, DMABUF_TO_DEVICE, 0, DMABUF_WHOLE), DMABUF_EPERM);
	UNIT_EQ(dmabuf_end_cpu_access(s.ctx, s.buf, DMABUF_TO_DEVICE, 96, 100), DMABUF_EPERM);
	UNIT_EQ(dmabuf_end_cpu_access(s.ctx, s.buf, DMABUF_TO_DEVICE, 96, 0), DMABUF_EINVAL);
	UNIT_EQ(dmabuf_end_cpu_access(s.ctx, s.buf, DMABUF_TO_DEVICE, 96, 4001), DMABUF_ERANGE);
	UNIT_EQ(fx_info(s.ctx, s.buf).cpu_access, DMABUF_TO_DEVICE); /* still open */
	UNIT_EQ(fx_cache.clean_calls, 0);
	/* DMABUF_WHOLE and the explicit length name the same range. */
	UNIT_EQ(dmabuf_end_cpu_access(s.ctx, s.buf, DMABUF_TO_DEVICE, 96, 4000), 0);
	scene_close(&s);
}

static void ranges_outside_the_buffer_or_wrapping_are_erange(void)
{
	struct scene s;
	scene_open(&s, NULL);
	UNIT_CHECK_HELPER();
	void *cpu = NULL;
	uint32_t before = fx_messages;
	UNIT_EQ(dmabuf_begin_cpu_access(s.ctx, s.buf, DMABUF_TO_DEVICE, 0xFFFFFFF0u, 0x20, &cpu), DMABUF_ERANGE);
	EXPECT_ONE_MESSAGE(before);
	UNIT_ASSERT(fx_message_has("dmabuf_begin_cpu_access: range: 4294967280+32 is outside buffer 'frame0' (4096 bytes)"));
	UNIT_EQ(dmabuf_begin_cpu_access(s.ctx, s.buf, DMABUF_TO_DEVICE, 1, 4096, &cpu), DMABUF_ERANGE);
	UNIT_EQ(dmabuf_begin_cpu_access(s.ctx, s.buf, DMABUF_TO_DEVICE, 0, 4097, &cpu), DMABUF_ERANGE);
	UNIT_EQ(dmabuf_begin_cpu_access(s.ctx, s.buf, DMABUF_TO_DEVICE, 4096, DMABUF_WHOLE, &cpu), DMABUF_ERANGE);
	UNIT_EQ(dmabuf_begin_cpu_access(s.ctx, s.buf, DMABUF_TO_DEVICE, 4096, 0xFFFFFFFEu, &cpu), DMABUF_ERANGE);
	UNIT_EQ(dmabuf_begin_cpu_access(s.ctx, s.buf, DMABUF_TO_DEVICE, 100, 0, &cpu), DMABUF_EINVAL);
	UNIT_ASSERT(fx_message_has("range: length 0"));
	UNIT_ASSERT(cpu == NULL);
	UNIT_EQ(fx_info(s.ctx, s.buf).cpu_access, 0);
	/* The last byte is inside. */
	UNIT_EQ(dmabuf_begin_cpu_access(s.ctx, s.buf, DMABUF_TO_DEVICE, 4095, 1, &cpu), 0);
	UNIT_EQ(dmabuf_end_cpu_access(s.ctx, s.buf, DMABUF_TO_DEVICE, 4095, 1), 0);
	scene_close(&s);
}

static void bad_arguments_are_einval_and_change_nothing(void)
{
	struct scene s;
	scene_open(&s, NULL);
	UNIT_CHECK_HELPER();
	dmabuf_handle_t handle = 0;
	struct dmabuf_mapping map;
	struct dmabuf_info info;
	void *cpu;
	static char before_text[512], after_text[512];
	dmabuf_bufinfo(s.ctx, before_text, sizeof(before_text));

	UNIT_EQ(dmabuf_export(s.ctx, 0, "zero", 0, &handle), DMABUF_EINVAL);
	UNIT_ASSERT(fx_message_has("dmabuf_export: size: 0 bytes (buffer 'zero')"));
	UNIT_EQ(dmabuf_export(s.ctx, 64, "flags", 0x80, &handle), DMABUF_EINVAL);
	UNIT_ASSERT(fx_message_has("dmabuf_export: flags: unknown flags 0x80"));
	UNIT_EQ(dmabuf_export(s.ctx, 64, "nowhere", 0, NULL), DMABUF_EINVAL);
	UNIT_EQ(dmabuf_export(NULL, 64, "noctx", 0, &handle), DMABUF_EINVAL);
	UNIT_EQ(handle, 0);

	UNIT_EQ(dmabuf_attach(s.ctx, s.buf, -1, &handle), DMABUF_EINVAL);
	UNIT_ASSERT(fx_message_has("dmabuf_attach: device: no device -1 on board 'fixture'"));
	UNIT_EQ(dmabuf_attach(s.ctx, s.buf, FX_DEVICE_COUNT, &handle), DMABUF_EINVAL);
	UNIT_ASSERT(fx_message_has("dmabuf_attach: device: no device 7 on board 'fixture'"));
	UNIT_EQ(dmabuf_attach(s.ctx, s.buf, FX_GDMA, NULL), DMABUF_EINVAL);
	UNIT_EQ(dmabuf_attach(NULL, s.buf, FX_GDMA, &handle), DMABUF_EINVAL);

	UNIT_EQ(dmabuf_map(s.ctx, s.att, (enum dmabuf_direction)0, &map), DMABUF_EINVAL);
	UNIT_ASSERT(fx_message_has("dmabuf_map: direction: 0 is not a direction"));
	UNIT_EQ(dmabuf_map(s.ctx, s.att, (enum dmabuf_direction)4, &map), DMABUF_EINVAL);
	UNIT_EQ(dmabuf_map(s.ctx, s.att, DMABUF_TO_DEVICE, NULL), DMABUF_EINVAL);
	UNIT_EQ(dmabuf_unmap(s.ctx, s.att, NULL, DMABUF_TO_DEVICE), DMABUF_EINVAL);
	UNIT_EQ(dmabuf_unmap(s.ctx, s.att, &map, (enum dmabuf_direction)7), DMABUF_EINVAL);

	UNIT_EQ(dmabuf_begin_cpu_access(s.ctx, s.buf, (enum dmabuf_direction)0, 0, 1, &cpu), DMABUF_EINVAL);
	UNIT_EQ(dmabuf_begin_cpu_access(s.ctx, s.buf, (enum dmabuf_direction)-1, 0, 1, &cpu), DMABUF_EINVAL);
	UNIT_EQ(dmabuf_begin_cpu_access(s.ctx, s.buf, DMABUF_TO_DEVICE, 0, 1, NULL), DMABUF_EINVAL);
	UNIT_EQ(dmabuf_end_cpu_access(s.ctx, s.buf, (enum dmabuf_direction)5, 0, 1), DMABUF_EINVAL);
	UNIT_EQ(dmabuf_get_info(s.ctx, s.buf, NULL), DMABUF_EINVAL);
	UNIT_EQ(dmabuf_get_info(NULL, s.buf, &info), DMABUF_EINVAL);
	UNIT_EQ(dmabuf_bufinfo(s.ctx, NULL, 10), DMABUF_EINVAL);
	UNIT_EQ(dmabuf_get(NULL, s.buf), DMABUF_EINVAL);
	UNIT_EQ(dmabuf_put(NULL, s.buf), DMABUF_EINVAL);
	UNIT_EQ(dmabuf_detach(NULL, s.att), DMABUF_EINVAL);
	UNIT_EQ(dmabuf_check(NULL), DMABUF_EINVAL);
	UNIT_EQ(dmabuf_deinit(NULL), DMABUF_EINVAL);
	dmabuf_heap_stats(NULL, NULL);
	dmabuf_cache_stats(NULL, NULL);
	dmabuf_cache_stats_reset(NULL);
	dmabuf_set_checker(NULL, true);

	dmabuf_bufinfo(s.ctx, after_text, sizeof(after_text));
	UNIT_EQ(strcmp(before_text, after_text), 0);
	FX_CHECK(s.ctx);
	scene_close(&s);
}

static void sizes_no_region_can_hold_are_enomem_and_counted(void)
{
	struct dmabuf_ctx *ctx = fx_init(NULL);
	UNIT_ASSERT(ctx);
	dmabuf_handle_t handle = 0;
	UNIT_EQ(dmabuf_export(ctx, 0xFFFFFFFFu, "huge", 0, &handle), DMABUF_ENOMEM);
	UNIT_ASSERT(fx_message_has("dmabuf_export: heap: no region has 4294967295 free bytes (buffer 'huge')"));
	UNIT_EQ(dmabuf_export(ctx, 192 * 1024 + 1, "too_big", 0, &handle), DMABUF_ENOMEM);
	UNIT_EQ(dmabuf_export(ctx, 0xFFFFFFFFu, "huge_later", DMABUF_EXPORT_DEFER_PLACEMENT, &handle), DMABUF_ENOMEM);
	UNIT_EQ(handle, 0);
	struct dmabuf_heap_stats stats;
	dmabuf_heap_stats(ctx, &stats);
	UNIT_EQ(stats.failed, 3);
	UNIT_EQ(stats.in_use, 0);
	UNIT_EQ(stats.live_buffers, 0);
	fx_done(ctx);
}

static void slot_pools_run_out_with_enomem(void)
{
	struct fx_options options = { .max_buffers = 2, .max_attachments = 1 };
	struct dmabuf_ctx *ctx = fx_init(&options);
	UNIT_ASSERT(ctx);
	dmabuf_handle_t a = fx_export(ctx, 64, "a", 0);
	dmabuf_handle_t b = fx_export(ctx, 64, "b", 0);
	dmabuf_handle_t att = fx_attach(ctx, a, FX_DMA);
	UNIT_CHECK_HELPER();
	dmabuf_handle_t handle = 0;
	UNIT_EQ(dmabuf_export(ctx, 64, "c", 0, &handle), DMABUF_ENOMEM);
	UNIT_ASSERT(fx_message_has("dmabuf_export: slots: all 2 buffer slots in use (buffer 'c')"));
	UNIT_EQ(dmabuf_attach(ctx, b, FX_DMA, &handle), DMABUF_ENOMEM);
	UNIT_ASSERT(fx_message_has("dmabuf_attach: slots: all 1 attachment slots in use"));
	struct dmabuf_heap_stats stats;
	dmabuf_heap_stats(ctx, &stats);
	UNIT_EQ(stats.failed, 0); /* slots, not storage */
	UNIT_EQ(dmabuf_detach(ctx, att), 0);
	UNIT_EQ(dmabuf_put(ctx, a), 0);
	UNIT_EQ(dmabuf_put(ctx, b), 0);
	fx_done(ctx);
}

static void malformed_forged_stale_and_wrong_type_handles_are_ebadf(void)
{
	struct fx_options options = { .max_buffers = 1 };
	struct dmabuf_ctx *ctx = fx_init(&options);
	UNIT_ASSERT(ctx);
	dmabuf_handle_t buf = fx_export(ctx, 64, "frame0", 0);
	dmabuf_handle_t att = fx_attach(ctx, buf, FX_DMA);
	UNIT_CHECK_HELPER();
	struct dmabuf_info info;

	UNIT_EQ(dmabuf_get(ctx, 0), DMABUF_EBADF);
	UNIT_ASSERT(fx_message_has("is malformed"));
	UNIT_EQ(dmabuf_get(ctx, -5), DMABUF_EBADF);
	UNIT_EQ(dmabuf_get(ctx, INT32_MIN), DMABUF_EBADF);
	UNIT_EQ(dmabuf_get(ctx, buf & ~(0xFFF << 16)), DMABUF_EBADF); /* generation 0 */
	UNIT_EQ(dmabuf_get(ctx, buf + 1), DMABUF_EBADF);              /* slot 1 of a 1-slot pool */
	UNIT_ASSERT(fx_message_has("is forged, not a live buffer"));
	UNIT_EQ(dmabuf_get(ctx, buf + (1 << 16)), DMABUF_EBADF);      /* other generation */
	UNIT_ASSERT(fx_message_has("is stale"));
	UNIT_EQ(dmabuf_get_info(ctx, att, &info), DMABUF_EBADF);     /* attachment as buffer */
	UNIT_ASSERT(fx_message_has("dmabuf_get_info: handle:"));
	UNIT_ASSERT(fx_message_has("is wrong type, not a live buffer"));
	UNIT_EQ(dmabuf_detach(ctx, buf), DMABUF_EBADF);              /* buffer as attachment */
	UNIT_ASSERT(fx_message_has("is wrong type, not a live attachment"));
	struct dmabuf_mapping map;
	UNIT_EQ(dmabuf_map(ctx, buf, DMABUF_TO_DEVICE, &map), DMABUF_EBADF);
	UNIT_EQ(dmabuf_attach(ctx, att, FX_DMA, &att), DMABUF_EBADF);
	UNIT_EQ(fx_info(ctx, buf).refcount, 1);

	UNIT_EQ(dmabuf_detach(ctx, att), 0);
	UNIT_EQ(dmabuf_put(ctx, buf), 0);
	/* The one slot is reused with a new generation: the old handle stays dead. */
	dmabuf_handle_t again = fx_export(ctx, 64, "again", 0);
	UNIT_CHECK_HELPER();
	UNIT_ASSERT(again != buf);
	UNIT_EQ(again & 0xFFFF, buf & 0xFFFF);
	UNIT_EQ(dmabuf_get_info(ctx, buf, &info), DMABUF_EBADF);
	UNIT_EQ(dmabuf_put(ctx, again), 0);
	fx_done(ctx);
}

static void handles_stay_positive_and_skip_generation_zero_when_wrapping(void)
{
	struct fx_options options = { .max_buffers = 1 };
	struct dmabuf_ctx *ctx = fx_init(&options);
	UNIT_ASSERT(ctx);
	dmabuf_handle_t first = fx_export(ctx, 64, "gen", 0);
	UNIT_CHECK_HELPER();
	UNIT_EQ(dmabuf_put(ctx, first), 0);
	dmabuf_handle_t previous = first;
	for (int i = 1; i <= 4095; i++) {
		dmabuf_handle_t handle = fx_export(ctx, 64, "gen", 0);
		UNIT_CHECK_HELPER();
		UNIT_ASSERT(handle > 0);
		UNIT_ASSERT(((uint32_t)handle >> 16 & 0xFFF) != 0);
		UNIT_ASSERT(handle != previous);
		UNIT_EQ(dmabuf_put(ctx, handle), 0);
		previous = handle;
	}
	/* 4095 generations later the slot is back where it started: the
	 * documented limit of a 12-bit generation. */
	UNIT_EQ(previous, first);
	fx_done(ctx);
}

const struct unit_suite suite_core_misuse = UNIT_SUITE(core_misuse,
	UNIT_TEST(checker_refuses_map_while_cpu_holds_a_writing_access),
	UNIT_TEST(checker_refuses_a_writing_map_while_cpu_holds_a_reading_access),
	UNIT_TEST(checker_refuses_cpu_access_while_device_holds_a_writing_mapping),
	UNIT_TEST(checker_off_lets_cpu_and_device_overlap),
	UNIT_TEST(double_put_and_double_detach_are_stale_handles),
	UNIT_TEST(unmap_must_name_the_mapping_and_direction_it_maps),
	UNIT_TEST(detach_while_mapped_is_busy),
	UNIT_TEST(last_put_with_attachments_or_cpu_access_is_busy),
	UNIT_TEST(end_cpu_access_must_match_the_open_access),
	UNIT_TEST(ranges_outside_the_buffer_or_wrapping_are_erange),
	UNIT_TEST(bad_arguments_are_einval_and_change_nothing),
	UNIT_TEST(sizes_no_region_can_hold_are_enomem_and_counted),
	UNIT_TEST(slot_pools_run_out_with_enomem),
	UNIT_TEST(malformed_forged_stale_and_wrong_type_handles_are_ebadf),
	UNIT_TEST(handles_stay_positive_and_skip_generation_zero_when_wrapping));
