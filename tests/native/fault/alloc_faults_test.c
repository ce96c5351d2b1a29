/*
 * Fault injection, at run time: every point where a call can run out of
 * something (buffer slots, attachment slots, heap storage while exporting,
 * placing deferred storage or moving storage, fence pool slots, reader
 * slots of a reservation, frames of a queue), where a device constraint
 * refuses, where the cache backend, the OS port or the ownership hook fails,
 * and where implicit sync gives up. Each failing call returns its code, sends
 * one message naming the rule (debug builds), and leaves every observable
 * state as it was: dmabuf_check, heap and cache statistics, the bufinfo text,
 * the pool, reservation and queue statistics, the buffer's bytes and the OS
 * objects alive. Only the refusal counters the contract defines move
 * (heap failed, pool failed, queue starved).
 */
#include <string.h>

#include "core/fixture.h"
#include "os_faults.h"
#include "snapshot.h"

#define KIB 1024u

#ifdef DMABUF_DEBUG
#define EXPECT_MESSAGES(before, n) UNIT_EQ(fx_messages, (before) + (n))
#else
#define EXPECT_MESSAGES(before, n) ((void)(before))
#endif

/* @call returns @err, reports once, and changes nothing but heap.failed
 * (by @heap_failed). */
#define EXPECT_REFUSED(scene, call, err, heap_failed)                                                      \
	do {                                                                                               \
		static struct fault_snapshot before_;                                                      \
		fault_snapshot_take((scene), &before_);                                                    \
		uint32_t messages_ = fx_messages;                                                          \
		UNIT_EQ((call), (err));                                                                    \
		EXPECT_MESSAGES(messages_, 1);                                                             \
		fault_expect_scene_unchanged((scene), &before_, (heap_failed), 0, 0);                      \
		UNIT_CHECK_HELPER();                                                                       \
	} while (0)

/* Bytes only the test writes: they must survive every refusal. */
static void write_pattern(struct dmabuf_ctx *ctx, dmabuf_handle_t buf, uint32_t size, uint8_t seed)
{
	uint8_t *cpu;
	UNIT_EQ(dmabuf_begin_cpu_access(ctx, buf, DMABUF_TO_DEVICE, 0, DMABUF_WHOLE, (void **)&cpu), 0);
	for (uint32_t i = 0; i < size; i++)
		cpu[i] = (uint8_t)(seed + i * 7u);
	UNIT_EQ(dmabuf_end_cpu_access(ctx, buf, DMABUF_TO_DEVICE, 0, DMABUF_WHOLE), 0);
}

static void expect_pattern(struct dmabuf_ctx *ctx, dmabuf_handle_t buf, uint32_t size, uint8_t seed)
{
	uint8_t *cpu;
	UNIT_EQ(dmabuf_begin_cpu_access(ctx, buf, DMABUF_FROM_DEVICE, 0, DMABUF_WHOLE, (void **)&cpu), 0);
	uint32_t wrong = 0;
	for (uint32_t i = 0; i < size; i++)
		wrong += cpu[i] != (uint8_t)(seed + i * 7u);
	UNIT_EQ(dmabuf_end_cpu_access(ctx, buf, DMABUF_FROM_DEVICE, 0, DMABUF_WHOLE), 0);
	UNIT_EQ(wrong, 0);
}

/* Fill every region: sram, then dtcm, sram_nc and psram (export order). */
static void fill_heap(struct dmabuf_ctx *ctx, dmabuf_handle_t fillers[4])
{
	fillers[0] = fx_export(ctx, 192 * KIB, "fill_sram", 0);
	fillers[1] = fx_export(ctx, 8 * KIB, "fill_dtcm", 0);
	fillers[2] = fx_export(ctx, 32 * KIB, "fill_nc", 0);
	fillers[3] = fx_export(ctx, 64 * KIB, "fill_psram", 0);
	struct dmabuf_heap_stats stats;
	dmabuf_heap_stats(ctx, &stats);
	UNIT_EQ(stats.in_use, stats.capacity);
}

static void put_all(struct dmabuf_ctx *ctx, const dmabuf_handle_t *handles, uint32_t count)
{
	for (uint32_t i = 0; i < count; i++)
		UNIT_EQ(dmabuf_put(ctx, handles[i]), 0);
}

/* ---- slots and storage ----------------------------------------------------------- */

static void export_refused_when_every_buffer_slot_is_taken(void)
{
	struct dmabuf_ctx *ctx = fx_init(&(struct fx_options){ .max_buffers = 2 });
	UNIT_ASSERT(ctx);
	dmabuf_handle_t held[2] = { fx_export(ctx, 64, "a", 0), fx_export(ctx, 64, "b", DMABUF_EXPORT_DEFER_PLACEMENT) };
	UNIT_CHECK_HELPER();
	struct fault_scene scene = { .ctx = ctx };
	dmabuf_handle_t out = 0;
	EXPECT_REFUSED(&scene, dmabuf_export(ctx, 64, "c", 0, &out), DMABUF_ENOMEM, 0);
	UNIT_ASSERT(fx_message_has("dmabuf_export: slots:"));
	EXPECT_REFUSED(&scene, dmabuf_export(ctx, 64, "d", DMABUF_EXPORT_DEFER_PLACEMENT, &out), DMABUF_ENOMEM, 0);
	UNIT_EQ(out, 0);
	/* The slot comes back with its put. */
	UNIT_EQ(dmabuf_put(ctx, held[0]), 0);
	held[0] = fx_export(ctx, 64, "c", 0);
	put_all(ctx, held, 2);
	fx_done(ctx);
}

static void export_refused_when_the_heap_is_exhausted(void)
{
	struct dmabuf_ctx *ctx = fx_init(NULL);
	UNIT_ASSERT(ctx);
	dmabuf_handle_t fillers[4];
	fill_heap(ctx, fillers);
	UNIT_CHECK_HELPER();
	struct fault_scene scene = { .ctx = ctx };
	dmabuf_handle_t out = 0;
	EXPECT_REFUSED(&scene, dmabuf_export(ctx, 32, "more", 0, &out), DMABUF_ENOMEM, 1);
	UNIT_ASSERT(fx_message_has("dmabuf_export: heap:"));
	EXPECT_REFUSED(&scene, dmabuf_export(ctx, 1, "tiny", DMABUF_EXPORT_PREFER_UNCACHED, &out), DMABUF_ENOMEM, 1);
	/* Deferred: refused at once only if no region could ever hold it. */
	EXPECT_REFUSED(&scene, dmabuf_export(ctx, 192 * KIB + 1, "huge", DMABUF_EXPORT_DEFER_PLACEMENT, &out),
		       DMABUF_ENOMEM, 1);
	EXPECT_REFUSED(&scene, dmabuf_export(ctx, 0xFFFFFFFFu, "huge", 0, &out), DMABUF_ENOMEM, 1);
	EXPECT_REFUSED(&scene, dmabuf_export(ctx, 0, "zero", 0, &out), DMABUF_EINVAL, 0);
	EXPECT_REFUSED(&scene, dmabuf_export(ctx, 64, "flags", 0x10, &out), DMABUF_EINVAL, 0);
	UNIT_EQ(out, 0);
	put_all(ctx, fillers, 4);
	fx_done(ctx);
}

static void deferred_placement_refused_at_map_and_cpu_access_without_room(void)
{
	struct dmabuf_ctx *ctx = fx_init(NULL);
	UNIT_ASSERT(ctx);
	dmabuf_handle_t later = fx_export(ctx, 4096, "later", DMABUF_EXPORT_DEFER_PLACEMENT);
	dmabuf_handle_t att = fx_attach(ctx, later, FX_DMA);
	dmabuf_handle_t fillers[4];
	fill_heap(ctx, fillers);
	UNIT_CHECK_HELPER();
	struct fault_scene scene = { .ctx = ctx };
	struct dmabuf_mapping map;
	void *cpu = NULL;
	EXPECT_REFUSED(&scene, dmabuf_map(ctx, att, DMABUF_FROM_DEVICE, &map), DMABUF_ENOMEM, 1);
	UNIT_ASSERT(fx_message_has("dmabuf_map: heap:"));
	EXPECT_REFUSED(&scene, dmabuf_begin_cpu_access(ctx, later, DMABUF_TO_DEVICE, 0, DMABUF_WHOLE, &cpu),
		       DMABUF_ENOMEM, 1);
	UNIT_ASSERT(fx_message_has("dmabuf_begin_cpu_access: heap:"));
	UNIT_ASSERT(cpu == NULL);
	/* Room again: the same calls succeed. */
	UNIT_EQ(dmabuf_put(ctx, fillers[0]), 0);
	UNIT_EQ(dmabuf_map(ctx, att, DMABUF_FROM_DEVICE, &map), 0);
	UNIT_EQ(dmabuf_unmap(ctx, att, &map, DMABUF_FROM_DEVICE), 0);
	UNIT_EQ(dmabuf_detach(ctx, att), 0);
	put_all(ctx, fillers + 1, 3);
	UNIT_EQ(dmabuf_put(ctx, later), 0);
	fx_done(ctx);
}

static void attach_refused_when_every_attachment_slot_is_taken(void)
{
	struct dmabuf_ctx *ctx = fx_init(&(struct fx_options){ .max_attachments = 1 });
	UNIT_ASSERT(ctx);
	dmabuf_handle_t buf = fx_export(ctx, 64, "frame", 0);
	dmabuf_handle_t att = fx_attach(ctx, buf, FX_DMA);
	UNIT_CHECK_HELPER();
	struct fault_scene scene = { .ctx = ctx };
	dmabuf_handle_t out = 0;
	EXPECT_REFUSED(&scene, dmabuf_attach(ctx, buf, FX_GDMA, &out), DMABUF_ENOMEM, 0);
	UNIT_ASSERT(fx_message_has("dmabuf_attach: slots:"));
	UNIT_EQ(out, 0);
	UNIT_EQ(dmabuf_detach(ctx, att), 0);
	att = fx_attach(ctx, buf, FX_GDMA);
	UNIT_EQ(dmabuf_detach(ctx, att), 0);
	UNIT_EQ(dmabuf_put(ctx, buf), 0);
	fx_done(ctx);
}

/* ---- device constraints ------------------------------------------------------------- */

static void attach_refusals_name_their_constraint_and_change_nothing(void)
{
	struct dmabuf_ctx *ctx = fx_init(NULL);
	UNIT_ASSERT(ctx);
	struct fault_scene scene = { .ctx = ctx };
	dmabuf_handle_t out = 0;
	struct dmabuf_mapping map;

	/* window, once placement is final (first map). */
	dmabuf_handle_t pad = fx_export(ctx, 32, "pad", 0); /* pushes the next block off 64-byte alignment */
	dmabuf_handle_t fixed = fx_export(ctx, 64, "fixed", 0);
	dmabuf_handle_t att = fx_attach(ctx, fixed, FX_DMA);
	UNIT_CHECK_HELPER();
	UNIT_EQ(dmabuf_map(ctx, att, DMABUF_TO_DEVICE, &map), 0);
	UNIT_EQ(dmabuf_unmap(ctx, att, &map, DMABUF_TO_DEVICE), 0);
	EXPECT_REFUSED(&scene, dmabuf_attach(ctx, fixed, FX_DMA2, &out), DMABUF_EFAULT, 0);
	UNIT_ASSERT(fx_message_has("dmabuf_attach: window: device 'dma2'"));
	/* alignment, same buffer: 0x...20 is not 64-aligned. */
	EXPECT_REFUSED(&scene, dmabuf_attach(ctx, fixed, FX_WIDE, &out), DMABUF_EFAULT, 0);
	UNIT_ASSERT(fx_message_has("dmabuf_attach: alignment: device 'wide'"));
	EXPECT_REFUSED(&scene, dmabuf_attach(ctx, fixed, FX_DMA, &out), DMABUF_EEXIST, 0);
	EXPECT_REFUSED(&scene, dmabuf_attach(ctx, fixed, FX_DEVICE_COUNT, &out), DMABUF_EINVAL, 0);

	/* segments: gdma chains 16 descriptors of 4092 bytes. */
	dmabuf_handle_t big = fx_export(ctx, 16 * 4092 + 1, "big", 0);
	UNIT_CHECK_HELPER();
	EXPECT_REFUSED(&scene, dmabuf_attach(ctx, big, FX_GDMA, &out), DMABUF_EFAULT, 0);
	UNIT_ASSERT(fx_message_has("dmabuf_attach: segments:"));

	/* deferred: no region suits dma2 (sram_nc, psram) and mdma (dtcm, sram). */
	dmabuf_handle_t later = fx_export(ctx, 64, "later", DMABUF_EXPORT_DEFER_PLACEMENT);
	dmabuf_handle_t later_att = fx_attach(ctx, later, FX_DMA2);
	UNIT_CHECK_HELPER();
	EXPECT_REFUSED(&scene, dmabuf_attach(ctx, later, FX_MDMA, &out), DMABUF_EFAULT, 0);
	UNIT_ASSERT(fx_message_has("no region suits device 'mdma'"));

	/* a move no region allows: mdma (dtcm, sram) and dma2 (sram_nc, psram)
	 * share none. */
	dmabuf_handle_t torn = fx_export(ctx, 64, "torn", 0);
	dmabuf_handle_t torn_att = fx_attach(ctx, torn, FX_MDMA);
	UNIT_CHECK_HELPER();
	EXPECT_REFUSED(&scene, dmabuf_attach(ctx, torn, FX_DMA2, &out), DMABUF_EFAULT, 0);
	UNIT_ASSERT(fx_message_has("no region suits every attached device"));

	/* busy: storage would have to move while the CPU holds it. */
	dmabuf_handle_t held = fx_export(ctx, 64, "held", 0);
	UNIT_CHECK_HELPER();
	void *cpu;
	UNIT_EQ(dmabuf_begin_cpu_access(ctx, held, DMABUF_FROM_DEVICE, 0, DMABUF_WHOLE, &cpu), 0);
	EXPECT_REFUSED(&scene, dmabuf_attach(ctx, held, FX_DMA2, &out), DMABUF_EBUSY, 0);
	UNIT_EQ(dmabuf_end_cpu_access(ctx, held, DMABUF_FROM_DEVICE, 0, DMABUF_WHOLE), 0);
	UNIT_EQ(out, 0);

	UNIT_EQ(dmabuf_detach(ctx, att), 0);
	UNIT_EQ(dmabuf_detach(ctx, later_att), 0);
	UNIT_EQ(dmabuf_detach(ctx, torn_att), 0);
	dmabuf_handle_t all[] = { big, pad, fixed, later, held, torn };
	put_all(ctx, all, 6);
	fx_done(ctx);
}

static void attach_move_without_room_refuses_and_keeps_the_bytes(void)
{
	struct dmabuf_ctx *ctx = fx_init(NULL);
	UNIT_ASSERT(ctx);
	dmabuf_handle_t buf = fx_export(ctx, 1000, "mover", 0); /* sram: dma2 cannot reach it */
	/* Take every region dma2 reaches: sram_nc, then psram. */
	dmabuf_handle_t nc = fx_export(ctx, 32 * KIB, "fill_nc", DMABUF_EXPORT_PREFER_UNCACHED | DMABUF_EXPORT_DEFER_PLACEMENT);
	dmabuf_handle_t nc_att = fx_attach(ctx, nc, FX_DMA2);
	dmabuf_handle_t psram = fx_export(ctx, 64 * KIB, "fill_psram", DMABUF_EXPORT_DEFER_PLACEMENT);
	dmabuf_handle_t psram_att = fx_attach(ctx, psram, FX_DMA2);
	UNIT_CHECK_HELPER();
	void *cpu;
	UNIT_EQ(dmabuf_begin_cpu_access(ctx, nc, DMABUF_FROM_DEVICE, 0, 1, &cpu), 0); /* places it */
	UNIT_EQ(dmabuf_end_cpu_access(ctx, nc, DMABUF_FROM_DEVICE, 0, 1), 0);
	UNIT_EQ(dmabuf_begin_cpu_access(ctx, psram, DMABUF_FROM_DEVICE, 0, 1, &cpu), 0);
	UNIT_EQ(dmabuf_end_cpu_access(ctx, psram, DMABUF_FROM_DEVICE, 0, 1), 0);
	write_pattern(ctx, buf, 1000, 3);
	UNIT_CHECK_HELPER();
	struct fault_scene scene = { .ctx = ctx };
	dmabuf_handle_t out = 0;
	EXPECT_REFUSED(&scene, dmabuf_attach(ctx, buf, FX_DMA2, &out), DMABUF_ENOMEM, 1);
	UNIT_ASSERT(fx_message_has("dmabuf_attach: heap: no room to move buffer 'mover'"));
	expect_pattern(ctx, buf, 1000, 3);
	UNIT_EQ(dmabuf_detach(ctx, nc_att), 0);
	UNIT_EQ(dmabuf_detach(ctx, psram_att), 0);
	dmabuf_handle_t all[] = { buf, nc, psram };
	put_all(ctx, all, 3);
	fx_done(ctx);
}

/* ---- the cache backend failing ---------------------------------------------------- */

static void attach_move_with_a_failing_clean_refuses_and_keeps_everything(void)
{
	struct dmabuf_ctx *ctx = fx_init(NULL);
	UNIT_ASSERT(ctx);
	/* Fill sram_nc so the move must go to psram, which is cacheable. */
	dmabuf_handle_t dtcm = fx_export(ctx, 8 * KIB, "fill_dtcm", DMABUF_EXPORT_PREFER_UNCACHED);
	dmabuf_handle_t nc = fx_export(ctx, 32 * KIB, "fill_nc", DMABUF_EXPORT_PREFER_UNCACHED);
	dmabuf_handle_t buf = fx_export(ctx, 3000, "mover", 0);
	write_pattern(ctx, buf, 3000, 9);
	UNIT_CHECK_HELPER();
	struct fault_scene scene = { .ctx = ctx };
	dmabuf_handle_t out = 0;
	fx_cache.fail_next = DMABUF_EIO;
	EXPECT_REFUSED(&scene, dmabuf_attach(ctx, buf, FX_DMA2, &out), DMABUF_EIO, 0);
	UNIT_ASSERT(fx_message_has("dmabuf_attach: cache:"));
	UNIT_EQ(fx_info(ctx, buf).region, FX_SRAM);
	expect_pattern(ctx, buf, 3000, 9);
	/* Without the fault the move happens, bytes kept. */
	dmabuf_handle_t att = fx_attach(ctx, buf, FX_DMA2);
	UNIT_EQ(fx_info(ctx, buf).region, FX_PSRAM);
	expect_pattern(ctx, buf, 3000, 9);
	UNIT_EQ(dmabuf_detach(ctx, att), 0);
	dmabuf_handle_t all[] = { dtcm, nc, buf };
	put_all(ctx, all, 3);
	fx_done(ctx);
}

static void attach_paying_an_owed_clean_with_a_failing_backend_keeps_it_owed(void)
{
	struct dmabuf_ctx *ctx = fx_init(NULL);
	UNIT_ASSERT(ctx);
	dmabuf_handle_t buf = fx_export(ctx, 256, "owed", 0);
	dmabuf_handle_t snoop = fx_attach(ctx, buf, FX_SNOOP);
	write_pattern(ctx, buf, 256, 1); /* only a coherent device: the clean is owed */
	UNIT_CHECK_HELPER();
	char text[1024];
	dmabuf_bufinfo(ctx, text, sizeof(text));
	UNIT_ASSERT(strstr(text, "clean-owed"));
	struct fault_scene scene = { .ctx = ctx };
	dmabuf_handle_t out = 0;
	fx_cache.fail_next = DMABUF_ENOTSUP;
	EXPECT_REFUSED(&scene, dmabuf_attach(ctx, buf, FX_DMA, &out), DMABUF_ENOTSUP, 0);
	dmabuf_bufinfo(ctx, text, sizeof(text));
	UNIT_ASSERT(strstr(text, "clean-owed"));
	fx_cache_reset(ctx);
	dmabuf_handle_t dma = fx_attach(ctx, buf, FX_DMA);
	UNIT_EQ(fx_cache.lines_cleaned, 256 / 32);
	UNIT_EQ(dmabuf_detach(ctx, snoop), 0);
	UNIT_EQ(dmabuf_detach(ctx, dma), 0);
	UNIT_EQ(dmabuf_put(ctx, buf), 0);
	fx_done(ctx);
}

static void map_with_a_failing_invalidate_changes_nothing(void)
{
	struct dmabuf_ctx *ctx = fx_init(NULL);
	UNIT_ASSERT(ctx);
	struct fault_scene scene = { .ctx = ctx };
	struct dmabuf_mapping map;
	/* Placed storage: rule 1's invalidate fails; no mapping, nothing marked. */
	dmabuf_handle_t placed = fx_export(ctx, 4096, "placed", 0);
	dmabuf_handle_t att = fx_attach(ctx, placed, FX_DMA);
	UNIT_CHECK_HELPER();
	fx_cache.fail_next = DMABUF_EIO;
	EXPECT_REFUSED(&scene, dmabuf_map(ctx, att, DMABUF_FROM_DEVICE, &map), DMABUF_EIO, 0);
	UNIT_ASSERT(fx_message_has("dmabuf_map: cache:"));
	UNIT_EQ(fx_info(ctx, placed).ever_mapped, false);
	UNIT_EQ(dmabuf_map(ctx, att, DMABUF_FROM_DEVICE, &map), 0);
	UNIT_EQ(dmabuf_unmap(ctx, att, &map, DMABUF_FROM_DEVICE), 0);
	UNIT_EQ(dmabuf_detach(ctx, att), 0);

	/* Deferred storage placed by this very map: given back, as if the map
	 * had never run (no storage, no cache state, no peak). */
	dmabuf_handle_t later = fx_export(ctx, 4096, "later", DMABUF_EXPORT_DEFER_PLACEMENT);
	dmabuf_handle_t later_att = fx_attach(ctx, later, FX_DMA);
	UNIT_CHECK_HELPER();
	fx_cache.fail_next = DMABUF_EIO;
	EXPECT_REFUSED(&scene, dmabuf_map(ctx, later_att, DMABUF_BIDIRECTIONAL, &map), DMABUF_EIO, 0);
	UNIT_EQ(fx_info(ctx, later).region, -1);
	UNIT_EQ(dmabuf_map(ctx, later_att, DMABUF_BIDIRECTIONAL, &map), 0);
	UNIT_EQ(dmabuf_unmap(ctx, later_att, &map, DMABUF_BIDIRECTIONAL), 0);
	UNIT_EQ(dmabuf_detach(ctx, later_att), 0);
	dmabuf_handle_t all[] = { placed, later };
	put_all(ctx, all, 2);
	fx_done(ctx);
}

static void cpu_access_with_a_failing_backend_changes_nothing(void)
{
	struct dmabuf_ctx *ctx = fx_init(NULL);
	UNIT_ASSERT(ctx);
	struct fault_scene scene = { .ctx = ctx };
	dmabuf_handle_t buf = fx_export(ctx, 4096, "frame", 0);
	dmabuf_handle_t att = fx_attach(ctx, buf, FX_DMA);
	UNIT_CHECK_HELPER();
	struct dmabuf_mapping map;
	UNIT_EQ(dmabuf_map(ctx, att, DMABUF_FROM_DEVICE, &map), 0); /* the device wrote: stale */
	UNIT_EQ(dmabuf_unmap(ctx, att, &map, DMABUF_FROM_DEVICE), 0);
	void *cpu = NULL;
	fx_cache.fail_next = DMABUF_EIO;
	EXPECT_REFUSED(&scene, dmabuf_begin_cpu_access(ctx, buf, DMABUF_FROM_DEVICE, 0, DMABUF_WHOLE, &cpu), DMABUF_EIO, 0);
	UNIT_ASSERT(fx_message_has("dmabuf_begin_cpu_access: cache:"));
	UNIT_ASSERT(cpu == NULL);
	/* Rule 5's clean fails: the access stays open, as it was. */
	UNIT_EQ(dmabuf_begin_cpu_access(ctx, buf, DMABUF_BIDIRECTIONAL, 64, 128, &cpu), 0);
	fx_cache.fail_next = DMABUF_EIO;
	EXPECT_REFUSED(&scene, dmabuf_end_cpu_access(ctx, buf, DMABUF_BIDIRECTIONAL, 64, 128), DMABUF_EIO, 0);
	UNIT_ASSERT(fx_message_has("dmabuf_end_cpu_access: cache:"));
	UNIT_EQ(fx_info(ctx, buf).cpu_access, DMABUF_BIDIRECTIONAL);
	UNIT_EQ(dmabuf_end_cpu_access(ctx, buf, DMABUF_BIDIRECTIONAL, 64, 128), 0);
	UNIT_EQ(dmabuf_detach(ctx, att), 0);
	UNIT_EQ(dmabuf_put(ctx, buf), 0);
	fx_done(ctx);
}

static void whole_cache_operations_failing_change_nothing(void)
{
	struct dmabuf_ctx *ctx = fx_init(&(struct fx_options){ .whole_cache_threshold = 1024, .whole_cache_ops = true });
	UNIT_ASSERT(ctx);
	struct fault_scene scene = { .ctx = ctx };
	dmabuf_handle_t later = fx_export(ctx, 8192, "later", DMABUF_EXPORT_DEFER_PLACEMENT);
	dmabuf_handle_t att = fx_attach(ctx, later, FX_DMA);
	UNIT_CHECK_HELPER();
	struct dmabuf_mapping map;
	fx_cache.fail_next = DMABUF_EIO; /* clean_invalidate_all */
	EXPECT_REFUSED(&scene, dmabuf_map(ctx, att, DMABUF_FROM_DEVICE, &map), DMABUF_EIO, 0);
	UNIT_EQ(fx_cache.clean_invalidate_all_calls, 0);
	void *cpu;
	UNIT_EQ(dmabuf_begin_cpu_access(ctx, later, DMABUF_TO_DEVICE, 0, DMABUF_WHOLE, &cpu), 0);
	fx_cache.fail_next = DMABUF_EIO; /* clean_all */
	EXPECT_REFUSED(&scene, dmabuf_end_cpu_access(ctx, later, DMABUF_TO_DEVICE, 0, DMABUF_WHOLE), DMABUF_EIO, 0);
	UNIT_EQ(dmabuf_end_cpu_access(ctx, later, DMABUF_TO_DEVICE, 0, DMABUF_WHOLE), 0);
	UNIT_EQ(fx_cache.clean_all_calls, 1);
	UNIT_EQ(dmabuf_detach(ctx, att), 0);
	UNIT_EQ(dmabuf_put(ctx, later), 0);
	fx_done(ctx);
}

/* ---- fences, reservations, queues --------------------------------------------------- */

static uint64_t pool_storage[512];
static uint64_t resv_storage[256];
static uint64_t queue_storage[512];

static void fence_create_refused_when_the_pool_is_exhausted(void)
{
	struct dmabuf_ctx *ctx = fx_init(NULL);
	UNIT_ASSERT(ctx);
	struct dmabuf_fence_pool *pool;
	UNIT_EQ(dmabuf_fence_pool_init(&pool, pool_storage, sizeof(pool_storage), 2), 0);
	uint32_t timeline = dmabuf_fence_context_alloc(pool);
	dmabuf_fence_t a, b, c = 0;
	UNIT_EQ(dmabuf_fence_create(pool, timeline, 1, &a), 0);
	UNIT_EQ(dmabuf_fence_create(pool, timeline, 2, &b), 0);
	struct fault_scene scene = { .ctx = ctx, .pool = pool };
	static struct fault_snapshot before;
	fault_snapshot_take(&scene, &before);
	UNIT_EQ(dmabuf_fence_create(pool, timeline, 3, &c), DMABUF_ENOMEM);
	UNIT_EQ(dmabuf_fence_create(pool, 0, 3, &c), DMABUF_EINVAL);
	fault_expect_scene_unchanged(&scene, &before, 0, 1, 0);
	UNIT_CHECK_HELPER();
	UNIT_EQ(c, 0);
	/* A slot freed is a slot to create in, under a new generation. */
	UNIT_EQ(dmabuf_fence_signal(pool, a), 0);
	UNIT_EQ(dmabuf_fence_put(pool, a), 0);
	UNIT_EQ(dmabuf_fence_create(pool, timeline, 3, &c), 0);
	UNIT_ASSERT(c != a && (c & 0xFFFF) == (a & 0xFFFF));
	UNIT_EQ(dmabuf_fence_status(pool, a), DMABUF_EBADF);
	UNIT_EQ(dmabuf_fence_signal(pool, b), 0);
	UNIT_EQ(dmabuf_fence_signal(pool, c), 0);
	UNIT_EQ(dmabuf_fence_put(pool, b), 0);
	UNIT_EQ(dmabuf_fence_put(pool, c), 0);
	UNIT_EQ(dmabuf_fence_pool_deinit(pool), 0);
	fx_done(ctx);
}

static void fence_wait_survives_the_os_port_failing_its_event(void)
{
	struct dmabuf_fence_pool *pool;
	UNIT_EQ(dmabuf_fence_pool_init(&pool, pool_storage, sizeof(pool_storage), 2), 0);
	dmabuf_fence_t fence;
	UNIT_EQ(dmabuf_fence_create(pool, dmabuf_fence_context_alloc(pool), 1, &fence), 0);
	struct dmabuf_fence_info before, after;
	UNIT_EQ(dmabuf_fence_get_info(pool, fence, &before), 0);
	int32_t events = os_faults_events_alive();
	os_faults_fail_event_init(1);
	UNIT_EQ(dmabuf_fence_wait(pool, fence, 1000), DMABUF_ENOMEM);
	UNIT_EQ(dmabuf_fence_get_info(pool, fence, &after), 0);
	UNIT_EQ(memcmp(&before, &after, sizeof(before)), 0);
	UNIT_EQ(os_faults_events_alive(), events);
	UNIT_EQ(dmabuf_fence_pool_check(pool), 0);
	/* A poll needs no event at all. */
	os_faults_fail_event_init(1);
	UNIT_EQ(dmabuf_fence_wait(pool, fence, 0), DMABUF_ETIMEDOUT);
	os_faults_fail_event_init(0);
	UNIT_EQ(dmabuf_fence_signal(pool, fence), 0);
	UNIT_EQ(dmabuf_fence_put(pool, fence), 0);
	UNIT_EQ(dmabuf_fence_pool_deinit(pool), 0);
}

/* The race windows of dmabuf_fence_wait, opened deterministically inside
 * the OS port (os_faults.h): the fence is released, or signalled, between
 * the waiter's status read and its registration, or signalled after the
 * wait timed out but before the waiter unregistered. */
static struct dmabuf_fence_pool *race_pool;
static dmabuf_fence_t race_fence;

static void release_race_fence(void *arg)
{
	(void)arg;
	(void)dmabuf_fence_put(race_pool, race_fence);
}

static void fail_race_fence(void *arg)
{
	(void)arg;
	(void)dmabuf_fence_signal_error(race_pool, race_fence, DMABUF_EIO);
}

static void signal_race_fence(void *arg)
{
	(void)arg;
	(void)dmabuf_fence_signal(race_pool, race_fence);
}

static void fence_wait_race_windows_resolve_without_leaks(void)
{
	UNIT_EQ(dmabuf_fence_pool_init(&race_pool, pool_storage, sizeof(pool_storage), 2), 0);
	uint32_t timeline = dmabuf_fence_context_alloc(race_pool);
	int32_t events = os_faults_events_alive();
	struct dmabuf_fence_info info;
	struct dmabuf_fence_pool_stats stats;

	/* Released: the waiter finds no fence and says so. */
	UNIT_EQ(dmabuf_fence_create(race_pool, timeline, 1, &race_fence), 0);
	os_faults_on_event_init(release_race_fence, NULL);
	UNIT_EQ(dmabuf_fence_wait(race_pool, race_fence, 1000000), DMABUF_EBADF);
	dmabuf_fence_pool_stats(race_pool, &stats);
	UNIT_EQ(stats.in_use, 0);

	/* Signalled with an error: the waiter gets it without sleeping. */
	UNIT_EQ(dmabuf_fence_create(race_pool, timeline, 2, &race_fence), 0);
	os_faults_on_event_init(fail_race_fence, NULL);
	UNIT_EQ(dmabuf_fence_wait(race_pool, race_fence, 1000000), DMABUF_EIO);
	UNIT_EQ(dmabuf_fence_get_info(race_pool, race_fence, &info), 0);
	UNIT_EQ(info.refcount, 1);
	UNIT_EQ(info.callbacks, 0);
	UNIT_EQ(dmabuf_fence_put(race_pool, race_fence), 0);

	/* Signalled after the timeout, before the waiter unregistered: the
	 * signal already ran the waiter's callback, so the wait succeeds. */
	UNIT_EQ(dmabuf_fence_create(race_pool, timeline, 3, &race_fence), 0);
	os_faults_after_event_wait(signal_race_fence, NULL);
	UNIT_EQ(dmabuf_fence_wait(race_pool, race_fence, 1), 0);
	UNIT_EQ(dmabuf_fence_get_info(race_pool, race_fence, &info), 0);
	UNIT_EQ(info.refcount, 1);
	UNIT_EQ(info.callbacks, 0);
	UNIT_EQ(info.status, 1);
	UNIT_EQ(dmabuf_fence_put(race_pool, race_fence), 0);

	UNIT_EQ(os_faults_events_alive(), events);
	UNIT_EQ(dmabuf_fence_pool_check(race_pool), 0);
	UNIT_EQ(dmabuf_fence_pool_deinit(race_pool), 0);
}

static void reservation_refusals_change_nothing(void)
{
	struct dmabuf_ctx *ctx = fx_init(&(struct fx_options){ .max_buffers = 8 });
	UNIT_ASSERT(ctx);
	struct dmabuf_fence_pool *pool;
	struct dmabuf_resv_table *resv;
	UNIT_EQ(dmabuf_fence_pool_init(&pool, pool_storage, sizeof(pool_storage), 8), 0);
	UNIT_EQ(dmabuf_resv_init(&resv, resv_storage, sizeof(resv_storage), ctx, pool, 0), 0);
	dmabuf_handle_t buf = fx_export(ctx, 256, "read_often", 0);
	UNIT_CHECK_HELPER();
	uint32_t timeline = dmabuf_fence_context_alloc(pool);
	dmabuf_fence_t readers[DMABUF_RESV_MAX_SHARED + 1], stale;
	for (uint32_t i = 0; i <= DMABUF_RESV_MAX_SHARED; i++)
		UNIT_EQ(dmabuf_fence_create(pool, timeline, i, &readers[i]), 0);
	for (uint32_t i = 0; i < DMABUF_RESV_MAX_SHARED; i++)
		UNIT_EQ(dmabuf_resv_add_shared(resv, buf, readers[i]), 0);
	UNIT_EQ(dmabuf_fence_create(pool, timeline, 9, &stale), 0);
	UNIT_EQ(dmabuf_fence_signal(pool, stale), 0);
	UNIT_EQ(dmabuf_fence_put(pool, stale), 0);
	struct fault_scene scene = { .ctx = ctx, .pool = pool, .resv = resv };
	EXPECT_REFUSED(&scene, dmabuf_resv_add_shared(resv, buf, readers[DMABUF_RESV_MAX_SHARED]), DMABUF_ENOMEM, 0);
	UNIT_ASSERT(fx_message_has("dmabuf_resv_add_shared: shared:"));
	EXPECT_REFUSED(&scene, dmabuf_resv_add_shared(resv, buf, readers[0]), DMABUF_EEXIST, 0);
	EXPECT_REFUSED(&scene, dmabuf_resv_add_exclusive(resv, buf, stale), DMABUF_EBADF, 0);
	EXPECT_REFUSED(&scene, dmabuf_resv_attach_job(resv, buf, (enum dmabuf_direction)0, readers[0]), DMABUF_EINVAL, 0);

	/* Implicit sync (timeout 0) gives up without touching anything: a CPU
	 * write waits for the readers; a device write too. */
	dmabuf_handle_t att = fx_attach(ctx, buf, FX_DMA);
	UNIT_CHECK_HELPER();
	void *cpu = NULL;
	struct dmabuf_mapping map;
	EXPECT_REFUSED(&scene, dmabuf_begin_cpu_access(ctx, buf, DMABUF_TO_DEVICE, 0, DMABUF_WHOLE, &cpu),
		       DMABUF_ETIMEDOUT, 0);
	UNIT_ASSERT(fx_message_has("dmabuf_begin_cpu_access: implicit-sync:"));
	EXPECT_REFUSED(&scene, dmabuf_map(ctx, att, DMABUF_FROM_DEVICE, &map), DMABUF_ETIMEDOUT, 0);
	UNIT_ASSERT(cpu == NULL);
	/* Readers do not wait for readers. */
	UNIT_EQ(dmabuf_map(ctx, att, DMABUF_TO_DEVICE, &map), 0);
	UNIT_EQ(dmabuf_unmap(ctx, att, &map, DMABUF_TO_DEVICE), 0);

	/* A failed writer: readers get its error (an outcome, not misuse: no
	 * message), and nothing changes. */
	dmabuf_fence_t writer;
	UNIT_EQ(dmabuf_fence_create(pool, timeline, 20, &writer), 0);
	UNIT_EQ(dmabuf_resv_add_exclusive(resv, buf, writer), 0);
	UNIT_EQ(dmabuf_fence_signal_error(pool, writer, DMABUF_EIO), 0);
	static struct fault_snapshot before;
	fault_snapshot_take(&scene, &before);
	uint32_t messages = fx_messages;
	UNIT_EQ(dmabuf_begin_cpu_access(ctx, buf, DMABUF_FROM_DEVICE, 0, DMABUF_WHOLE, &cpu), DMABUF_EIO);
	UNIT_EQ(dmabuf_map(ctx, att, DMABUF_TO_DEVICE, &map), DMABUF_EIO);
	EXPECT_MESSAGES(messages, 0);
	fault_expect_scene_unchanged(&scene, &before, 0, 0, 0);
	UNIT_CHECK_HELPER();

	UNIT_EQ(dmabuf_detach(ctx, att), 0);
	for (uint32_t i = 0; i <= DMABUF_RESV_MAX_SHARED; i++) {
		UNIT_EQ(dmabuf_fence_signal(pool, readers[i]), 0);
		UNIT_EQ(dmabuf_fence_put(pool, readers[i]), 0);
	}
	UNIT_EQ(dmabuf_fence_put(pool, writer), 0);
	dmabuf_resv_deinit(resv);
	UNIT_EQ(dmabuf_put(ctx, buf), 0);
	UNIT_EQ(dmabuf_fence_pool_deinit(pool), 0);
	fx_done(ctx);
}

static void queue_refusals_change_nothing_but_the_starved_count(void)
{
	struct dmabuf_ctx *ctx = fx_init(NULL);
	UNIT_ASSERT(ctx);
	dmabuf_handle_t frames[2] = { fx_export(ctx, 64, "f0", 0), fx_export(ctx, 64, "f1", 0) };
	UNIT_CHECK_HELPER();
	struct dmabuf_queue *queue;
	UNIT_EQ(dmabuf_queue_init(&queue, queue_storage, sizeof(queue_storage), frames, 2, DMABUF_QUEUE_WHEN_EMPTY), 0);
	struct fault_scene scene = { .ctx = ctx, .queue = queue };
	struct dmabuf_queue_frame a, b, none;
	UNIT_EQ(dmabuf_queue_dequeue(queue, 0, &a), 0);
	UNIT_EQ(dmabuf_queue_dequeue(queue, 0, &b), 0);
	static struct fault_snapshot before;
	fault_snapshot_take(&scene, &before);
	UNIT_EQ(dmabuf_queue_dequeue(queue, 0, &none), DMABUF_ETIMEDOUT); /* no FREE frame */
	UNIT_EQ(dmabuf_queue_acquire(queue, 0, &none), DMABUF_ETIMEDOUT); /* no READY frame */
	UNIT_EQ(dmabuf_queue_release(queue, a.index), DMABUF_EPERM);      /* PRODUCING, not CONSUMING */
	UNIT_EQ(dmabuf_queue_enqueue(queue, 2, 0), DMABUF_EINVAL);
	UNIT_EQ(dmabuf_queue_cancel(queue, 0xFFFFFFFFu), DMABUF_EINVAL);
	UNIT_EQ(dmabuf_queue_dequeue(queue, 0, NULL), DMABUF_EINVAL);
	UNIT_EQ(dmabuf_queue_acquire(queue, 0, NULL), DMABUF_EINVAL);
	UNIT_EQ(dmabuf_queue_frame_state(queue, 2), DMABUF_EINVAL);
	fault_expect_scene_unchanged(&scene, &before, 0, 0, 1);
	UNIT_CHECK_HELPER();
	UNIT_EQ(dmabuf_queue_enqueue(queue, a.index, 5), 0);
	UNIT_EQ(dmabuf_queue_enqueue(queue, a.index, 6), DMABUF_EPERM); /* already READY */
	UNIT_EQ(dmabuf_queue_cancel(queue, b.index), 0);
	UNIT_EQ(dmabuf_queue_acquire(queue, 0, &none), 0);
	UNIT_EQ(dmabuf_queue_release(queue, none.index), 0);
	UNIT_EQ(dmabuf_queue_deinit(queue), 0);
	put_all(ctx, frames, 2);
	fx_done(ctx);
}

/* ---- the ownership hook failing -------------------------------------------------- */

static uint32_t hook_calls;

static int refuse_device_owned(void *priv, void *cpu, size_t size, const char *name)
{
	(void)priv;
	(void)cpu;
	(void)size;
	(void)name;
	hook_calls++;
	return DMABUF_ENOMEM;
}

static void note_cpu_owned(void *priv, void *cpu, size_t size)
{
	(void)priv;
	(void)cpu;
	(void)size;
	hook_calls++;
}

static void ownership_hook_failing_changes_no_result(void)
{
	static const struct dmabuf_ownership_ops refusing = { refuse_device_owned, note_cpu_owned };
	static uint64_t storage[8192];
	struct dmabuf_ctx *probe = fx_init(NULL);
	UNIT_ASSERT(probe);
	UNIT_EQ(dmabuf_deinit(probe), 0);
	struct dmabuf_config config = fx_config;
	config.ownership = &refusing;
	struct dmabuf_ctx *ctx;
	UNIT_EQ(dmabuf_init(&ctx, storage, sizeof(storage), &config), 0);
	dmabuf_handle_t buf = fx_export(ctx, 128, "strict", 0);
	dmabuf_handle_t att = fx_attach(ctx, buf, FX_DMA);
	UNIT_CHECK_HELPER();
	struct dmabuf_mapping map;
	uint32_t messages = fx_messages;
	hook_calls = 0;
	UNIT_EQ(dmabuf_map(ctx, att, DMABUF_TO_DEVICE, &map), 0);
	UNIT_EQ(hook_calls, 1);
	UNIT_EQ(fx_info(ctx, buf).device_mappings, 1);
	void *cpu;
	UNIT_EQ(dmabuf_begin_cpu_access(ctx, buf, DMABUF_FROM_DEVICE, 0, DMABUF_WHOLE, &cpu), 0);
	UNIT_EQ(dmabuf_end_cpu_access(ctx, buf, DMABUF_FROM_DEVICE, 0, DMABUF_WHOLE), 0);
	UNIT_EQ(dmabuf_unmap(ctx, att, &map, DMABUF_TO_DEVICE), 0);
	UNIT_EQ(hook_calls, 4);
	EXPECT_MESSAGES(messages, 0);
	UNIT_EQ(dmabuf_detach(ctx, att), 0);
	UNIT_EQ(dmabuf_put(ctx, buf), 0);
	fx_done(ctx);
}

const struct unit_suite suite_fault_alloc = UNIT_SUITE(fault_alloc,
	UNIT_TEST(export_refused_when_every_buffer_slot_is_taken),
	UNIT_TEST(export_refused_when_the_heap_is_exhausted),
	UNIT_TEST(deferred_placement_refused_at_map_and_cpu_access_without_room),
	UNIT_TEST(attach_refused_when_every_attachment_slot_is_taken),
	UNIT_TEST(attach_refusals_name_their_constraint_and_change_nothing),
	UNIT_TEST(attach_move_without_room_refuses_and_keeps_the_bytes),
	UNIT_TEST(attach_move_with_a_failing_clean_refuses_and_keeps_everything),
	UNIT_TEST(attach_paying_an_owed_clean_with_a_failing_backend_keeps_it_owed),
	UNIT_TEST(map_with_a_failing_invalidate_changes_nothing),
	UNIT_TEST(cpu_access_with_a_failing_backend_changes_nothing),
	UNIT_TEST(whole_cache_operations_failing_change_nothing),
	UNIT_TEST(fence_create_refused_when_the_pool_is_exhausted),
	UNIT_TEST(fence_wait_survives_the_os_port_failing_its_event),
	UNIT_TEST(fence_wait_race_windows_resolve_without_leaks),
	UNIT_TEST(reservation_refusals_change_nothing),
	UNIT_TEST(queue_refusals_change_nothing_but_the_starved_count),
	UNIT_TEST(ownership_hook_failing_changes_no_result));
