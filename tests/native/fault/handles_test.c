/*
 * Handles and views: every function that takes a buffer, attachment or
 * fence handle rejects malformed, forged (slot past the pool), stale (the
 * object died, or another generation) and wrong-type handles with -EBADF,
 * reports it once, and changes nothing; and no CPU view reaches outside its
 * buffer: the pointer begin_cpu_access hands out is exactly the requested
 * bytes of the buffer's storage, every range that does not fit (overflow
 * included) is refused before any pointer is written, and (ASan builds)
 * writing the whole window with everything around it poisoned is clean.
 */
#include <string.h>

#include "core/fixture.h"
#include "snapshot.h"

#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define HANDLES_ASAN 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__) && !defined(HANDLES_ASAN)
#define HANDLES_ASAN 1
#endif
#ifdef HANDLES_ASAN
#include <sanitizer/asan_interface.h>
#endif

#ifdef DMABUF_DEBUG
#define EXPECT_MESSAGES(before, n) UNIT_EQ(fx_messages, (before) + (n))
#define EXPECT_REPORTED(count) UNIT_EQ((count), 1)
#else
#define EXPECT_MESSAGES(before, n) ((void)(before))
#define EXPECT_REPORTED(count) ((void)(count))
#endif

static uint64_t pool_storage[512];
static uint64_t resv_storage[256];
static uint32_t pool_messages;

static void count_pool_message(void *user, const char *message)
{
	(void)user;
	(void)message;
	pool_messages++;
}

struct world {
	struct dmabuf_ctx *ctx;
	struct dmabuf_fence_pool *pool;
	struct dmabuf_resv_table *resv;
	dmabuf_handle_t buffer, attachment, dead_buffer, dead_attachment;
	dmabuf_fence_t fence, dead_fence;
};

static void world_open(struct world *w)
{
	memset(w, 0, sizeof(*w));
	w->ctx = fx_init(&(struct fx_options){ .max_buffers = 4, .max_attachments = 4 });
	if (!w->ctx)
		return;
	UNIT_EQ(dmabuf_fence_pool_init(&w->pool, pool_storage, sizeof(pool_storage), 4), 0);
	dmabuf_fence_pool_set_report(w->pool, count_pool_message, NULL);
	UNIT_EQ(dmabuf_resv_init(&w->resv, resv_storage, sizeof(resv_storage), w->ctx, w->pool, 0), 0);
	w->dead_buffer = fx_export(w->ctx, 64, "dead", 0);
	w->dead_attachment = fx_attach(w->ctx, w->dead_buffer, FX_DMA);
	UNIT_EQ(dmabuf_detach(w->ctx, w->dead_attachment), 0);
	UNIT_EQ(dmabuf_put(w->ctx, w->dead_buffer), 0);
	uint32_t timeline = dmabuf_fence_context_alloc(w->pool);
	UNIT_EQ(dmabuf_fence_create(w->pool, timeline, 1, &w->dead_fence), 0);
	UNIT_EQ(dmabuf_fence_signal(w->pool, w->dead_fence), 0);
	UNIT_EQ(dmabuf_fence_put(w->pool, w->dead_fence), 0);
	w->buffer = fx_export(w->ctx, 256, "live", 0);
	w->attachment = fx_attach(w->ctx, w->buffer, FX_DMA);
	UNIT_EQ(dmabuf_fence_create(w->pool, timeline, 2, &w->fence), 0);
}

static void world_close(struct world *w)
{
	UNIT_EQ(dmabuf_fence_signal(w->pool, w->fence), 0);
	UNIT_EQ(dmabuf_fence_put(w->pool, w->fence), 0);
	dmabuf_resv_deinit(w->resv);
	UNIT_EQ(dmabuf_detach(w->ctx, w->attachment), 0);
	UNIT_EQ(dmabuf_put(w->ctx, w->buffer), 0);
	UNIT_EQ(dmabuf_fence_pool_deinit(w->pool), 0);
	fx_done(w->ctx);
}

/* Every kind of handle that must not name a live object of type @type
 * (1 buffer, 2 attachment, 3 fence), given the live ones of the world. */
static uint32_t bad_handles(const struct world *w, uint32_t type, int32_t out[24])
{
	int32_t live = type == 1 ? w->buffer : type == 2 ? w->attachment : w->fence;
	int32_t dead = type == 1 ? w->dead_buffer : type == 2 ? w->dead_attachment : w->dead_fence;
	uint32_t n = 0;
	out[n++] = -1;
	out[n++] = INT32_MIN;
	out[n++] = INT32_MAX;
	out[n++] = (int32_t)0x00010000;                          /* type 0 */
	out[n++] = (int32_t)0x70010000;                          /* type 7 */
	out[n++] = (int32_t)(((uint32_t)4 << 28) | 0x10000u);   /* a queue-typed handle */
	out[n++] = live & ~(int32_t)0x0FFF0000;                  /* generation 0 */
	out[n++] = live + (1 << 16);                             /* next generation of a live slot */
	out[n++] = (live & ~0xFFFF) | 4;                         /* slot 4: past a 4-slot pool */
	out[n++] = (live & ~0xFFFF) | 0xFFFF;
	out[n++] = dead;                                         /* stale: its object died */
	/* Live handles of the two other types. */
	if (type != 1)
		out[n++] = w->buffer;
	if (type != 2)
		out[n++] = w->attachment;
	if (type != 3)
		out[n++] = w->fence;
	return n;
}

/* @call(handle) refuses with -EBADF, reports once, and nothing changes. */
#define EXPECT_EACH_BAD(w, type, call)                                                                     \
	do {                                                                                               \
		int32_t bad_[24];                                                                          \
		uint32_t count_ = bad_handles((w), (type), bad_);                                          \
		struct fault_scene scene_ = { .ctx = (w)->ctx, .pool = (w)->pool, .resv = (w)->resv };     \
		static struct fault_snapshot before_;                                                      \
		fault_snapshot_take(&scene_, &before_);                                                    \
		for (uint32_t i_ = 0; i_ < count_; i_++) {                                                 \
			int32_t handle = bad_[i_];                                                         \
			uint32_t messages_ = fx_messages + pool_messages;                                  \
			int got_ = (call);                                                                 \
			if (got_ != DMABUF_EBADF)                                                          \
				unit_fail(__FILE__, __LINE__, #call " accepted a bad handle", handle, got_); \
			UNIT_EQ(got_, DMABUF_EBADF);                                                       \
			EXPECT_REPORTED(fx_messages + pool_messages - messages_);                          \
		}                                                                                          \
		fault_expect_scene_unchanged(&scene_, &before_, 0, 0, 0);                                  \
		UNIT_CHECK_HELPER();                                                                       \
	} while (0)

static void buffer_functions_reject_every_bad_buffer_handle(void)
{
	struct world w;
	world_open(&w);
	UNIT_CHECK_HELPER();
	dmabuf_handle_t out = 0;
	struct dmabuf_info info;
	struct dmabuf_resv_info resv_info;
	void *cpu = NULL;
	EXPECT_EACH_BAD(&w, 1, dmabuf_get(w.ctx, handle));
	EXPECT_EACH_BAD(&w, 1, dmabuf_put(w.ctx, handle));
	EXPECT_EACH_BAD(&w, 1, dmabuf_get_info(w.ctx, handle, &info));
	EXPECT_EACH_BAD(&w, 1, dmabuf_attach(w.ctx, handle, FX_GDMA, &out));
	EXPECT_EACH_BAD(&w, 1, dmabuf_begin_cpu_access(w.ctx, handle, DMABUF_TO_DEVICE, 0, 1, &cpu));
	EXPECT_EACH_BAD(&w, 1, dmabuf_begin_cpu_access(w.ctx, handle, (enum dmabuf_direction)9, 0, 1, &cpu));
	EXPECT_EACH_BAD(&w, 1, dmabuf_end_cpu_access(w.ctx, handle, DMABUF_TO_DEVICE, 0, 1));
	EXPECT_EACH_BAD(&w, 1, dmabuf_resv_add_exclusive(w.resv, handle, w.fence));
	EXPECT_EACH_BAD(&w, 1, dmabuf_resv_add_shared(w.resv, handle, w.fence));
	EXPECT_EACH_BAD(&w, 1, dmabuf_resv_attach_job(w.resv, handle, DMABUF_FROM_DEVICE, w.fence));
	EXPECT_EACH_BAD(&w, 1, dmabuf_resv_wait(w.resv, handle, true, 0));
	EXPECT_EACH_BAD(&w, 1, dmabuf_resv_test(w.resv, handle, false));
	EXPECT_EACH_BAD(&w, 1, dmabuf_resv_set_implicit_sync(w.resv, handle, false));
	EXPECT_EACH_BAD(&w, 1, dmabuf_resv_get_info(w.resv, handle, &resv_info));
	UNIT_EQ(out, 0);
	UNIT_ASSERT(cpu == NULL);
	/* put(0) is the documented no-op, not a bad handle. */
	UNIT_EQ(dmabuf_put(w.ctx, 0), 0);
	world_close(&w);
}

static void attachment_functions_reject_every_bad_attachment_handle(void)
{
	struct world w;
	world_open(&w);
	UNIT_CHECK_HELPER();
	struct dmabuf_mapping map;
	memset(&map, 0, sizeof(map));
	EXPECT_EACH_BAD(&w, 2, dmabuf_detach(w.ctx, handle));
	EXPECT_EACH_BAD(&w, 2, dmabuf_map(w.ctx, handle, DMABUF_TO_DEVICE, &map));
	EXPECT_EACH_BAD(&w, 2, dmabuf_map(w.ctx, handle, DMABUF_FROM_DEVICE, &map));
	EXPECT_EACH_BAD(&w, 2, dmabuf_unmap(w.ctx, handle, &map, DMABUF_TO_DEVICE));
	UNIT_EQ(map.segment_count, 0);
	/* A live mapping cannot be unmapped through another attachment. */
	UNIT_EQ(dmabuf_map(w.ctx, w.attachment, DMABUF_TO_DEVICE, &map), 0);
	EXPECT_EACH_BAD(&w, 2, dmabuf_unmap(w.ctx, handle, &map, DMABUF_TO_DEVICE));
	UNIT_EQ(dmabuf_unmap(w.ctx, w.attachment, &map, DMABUF_TO_DEVICE), 0);
	world_close(&w);
}

static void noop_callback(dmabuf_fence_t fence, int status, void *user)
{
	(void)fence;
	(void)status;
	(void)user;
}

static void fence_functions_reject_every_bad_fence_handle(void)
{
	struct world w;
	world_open(&w);
	UNIT_CHECK_HELPER();
	struct dmabuf_fence_cb cb;
	struct dmabuf_fence_info info;
	EXPECT_EACH_BAD(&w, 3, dmabuf_fence_get(w.pool, handle));
	EXPECT_EACH_BAD(&w, 3, dmabuf_fence_put(w.pool, handle));
	EXPECT_EACH_BAD(&w, 3, dmabuf_fence_signal(w.pool, handle));
	EXPECT_EACH_BAD(&w, 3, dmabuf_fence_signal_error(w.pool, handle, DMABUF_EIO));
	EXPECT_EACH_BAD(&w, 3, dmabuf_fence_status(w.pool, handle));
	EXPECT_EACH_BAD(&w, 3, dmabuf_fence_wait(w.pool, handle, 0));
	EXPECT_EACH_BAD(&w, 3, dmabuf_fence_wait(w.pool, handle, 1000));
	EXPECT_EACH_BAD(&w, 3, dmabuf_fence_add_callback(w.pool, handle, &cb, noop_callback, NULL));
	EXPECT_EACH_BAD(&w, 3, dmabuf_fence_remove_callback(w.pool, handle, &cb));
	EXPECT_EACH_BAD(&w, 3, dmabuf_fence_get_info(w.pool, handle, &info));
	/* The reservation table reports a bad fence itself, and the pool's
	 * dmabuf_fence_get reports it again: twice when both sinks are set
	 * (docs/RELIABILITY.md, open findings). */
	EXPECT_EACH_BAD(&w, 3, dmabuf_resv_add_exclusive(w.resv, w.buffer, handle));
	EXPECT_EACH_BAD(&w, 3, dmabuf_resv_add_shared(w.resv, w.buffer, handle));
	EXPECT_EACH_BAD(&w, 3, dmabuf_resv_attach_job(w.resv, w.buffer, DMABUF_TO_DEVICE, handle));
	/* put(0) is a no-op here too. */
	UNIT_EQ(dmabuf_fence_put(w.pool, 0), 0);
	world_close(&w);
}

/* Null contexts, null outputs: -EINVAL (or nothing, for the void queries),
 * no crash, nothing changed. */
static void null_contexts_and_outputs_are_refused(void)
{
	struct world w;
	world_open(&w);
	UNIT_CHECK_HELPER();
	struct fault_scene scene = { .ctx = w.ctx, .pool = w.pool, .resv = w.resv };
	static struct fault_snapshot before;
	fault_snapshot_take(&scene, &before);
	dmabuf_handle_t out = 0;
	struct dmabuf_mapping map;
	memset(&map, 0, sizeof(map));
	struct dmabuf_info info;
	void *cpu = NULL;
	char text[8];
	UNIT_EQ(dmabuf_export(NULL, 64, "x", 0, &out), DMABUF_EINVAL);
	UNIT_EQ(dmabuf_get(NULL, w.buffer), DMABUF_EINVAL);
	UNIT_EQ(dmabuf_put(NULL, w.buffer), DMABUF_EINVAL);
	UNIT_EQ(dmabuf_get_info(NULL, w.buffer, &info), DMABUF_EINVAL);
	UNIT_EQ(dmabuf_attach(NULL, w.buffer, FX_GDMA, &out), DMABUF_EINVAL);
	UNIT_EQ(dmabuf_detach(NULL, w.attachment), DMABUF_EINVAL);
	UNIT_EQ(dmabuf_map(NULL, w.attachment, DMABUF_TO_DEVICE, &map), DMABUF_EINVAL);
	UNIT_EQ(dmabuf_unmap(NULL, w.attachment, &map, DMABUF_TO_DEVICE), DMABUF_EINVAL);
	UNIT_EQ(dmabuf_begin_cpu_access(NULL, w.buffer, DMABUF_TO_DEVICE, 0, 1, &cpu), DMABUF_EINVAL);
	UNIT_EQ(dmabuf_end_cpu_access(NULL, w.buffer, DMABUF_TO_DEVICE, 0, 1), DMABUF_EINVAL);
	UNIT_EQ(dmabuf_cpu_pointer(NULL, w.buffer, 0, 1, &cpu), DMABUF_EINVAL);
	UNIT_EQ(dmabuf_bufinfo(NULL, text, sizeof(text)), DMABUF_EINVAL);
	UNIT_EQ(dmabuf_check(NULL), DMABUF_EINVAL);
	UNIT_EQ(dmabuf_deinit(NULL), DMABUF_EINVAL);
	UNIT_EQ(dmabuf_reset(NULL), DMABUF_EINVAL);
	UNIT_EQ(dmabuf_device_find(NULL, "dma"), DMABUF_EINVAL);
	dmabuf_heap_stats(NULL, NULL);
	dmabuf_cache_stats(NULL, NULL);
	dmabuf_cache_stats_reset(NULL);
	dmabuf_set_checker(NULL, false);
	/* Null outputs with a real context. */
	UNIT_EQ(dmabuf_export(w.ctx, 64, "x", 0, NULL), DMABUF_EINVAL);
	UNIT_EQ(dmabuf_attach(w.ctx, w.buffer, FX_GDMA, NULL), DMABUF_EINVAL);
	UNIT_EQ(dmabuf_map(w.ctx, w.attachment, DMABUF_TO_DEVICE, NULL), DMABUF_EINVAL);
	UNIT_EQ(dmabuf_unmap(w.ctx, w.attachment, NULL, DMABUF_TO_DEVICE), DMABUF_EINVAL);
	UNIT_EQ(dmabuf_begin_cpu_access(w.ctx, w.buffer, DMABUF_TO_DEVICE, 0, 1, NULL), DMABUF_EINVAL);
	UNIT_EQ(dmabuf_get_info(w.ctx, w.buffer, NULL), DMABUF_EINVAL);
	UNIT_EQ(dmabuf_cpu_pointer(w.ctx, w.buffer, 0, 1, NULL), DMABUF_EINVAL);
	UNIT_EQ(dmabuf_device_find(w.ctx, NULL), DMABUF_EINVAL);
	UNIT_EQ(dmabuf_bufinfo(w.ctx, NULL, 4), DMABUF_EINVAL);
	dmabuf_heap_stats(w.ctx, NULL);
	dmabuf_cache_stats(w.ctx, NULL);
	UNIT_EQ(dmabuf_fence_create(w.pool, 1, 1, NULL), DMABUF_EINVAL);
	UNIT_EQ(dmabuf_fence_get_info(w.pool, w.fence, NULL), DMABUF_EINVAL);
	struct dmabuf_fence_cb cb;
	UNIT_EQ(dmabuf_fence_add_callback(w.pool, w.fence, NULL, noop_callback, NULL), DMABUF_EINVAL);
	UNIT_EQ(dmabuf_fence_add_callback(w.pool, w.fence, &cb, NULL, NULL), DMABUF_EINVAL);
	UNIT_EQ(dmabuf_fence_signal_error(w.pool, w.fence, 0), DMABUF_EINVAL);
	UNIT_EQ(dmabuf_fence_signal_error(w.pool, w.fence, 5), DMABUF_EINVAL);
	UNIT_EQ(dmabuf_resv_get_info(w.resv, w.buffer, NULL), DMABUF_EINVAL);
	UNIT_EQ(out, 0);
	UNIT_ASSERT(cpu == NULL);
	fault_expect_scene_unchanged(&scene, &before, 0, 0, 0);
	UNIT_CHECK_HELPER();
	world_close(&w);
}

/* ---- CPU views --------------------------------------------------------------------- */

/* The window must be exactly [offset, offset + length) of the buffer's
 * storage: the region's CPU view at the block's bus offset. With ASan, the
 * whole region except the window is poisoned while the test writes every
 * byte of the window. */
static void check_window(struct dmabuf_ctx *ctx, dmabuf_handle_t buf, uint32_t offset, uint32_t length)
{
	static const uint32_t bases[FX_REGION_COUNT] = { FX_SRAM_BASE, FX_DTCM_BASE, FX_SRAM_NC_BASE, FX_PSRAM_BASE };
	static const uint32_t sizes[FX_REGION_COUNT] = { 192 * 1024, 8 * 1024, 32 * 1024, 64 * 1024 };
	uint8_t *cpu = NULL;
	UNIT_EQ(dmabuf_begin_cpu_access(ctx, buf, DMABUF_TO_DEVICE, offset, length, (void **)&cpu), 0);
	struct dmabuf_info info = fx_info(ctx, buf); /* placed by now, deferred or not */
	UNIT_CHECK_HELPER();
	UNIT_ASSERT(info.region >= 0 && info.region < FX_REGION_COUNT);
	uint8_t *region = fx_region_memory((enum fx_region)info.region);
	uint32_t resolved = length == DMABUF_WHOLE ? info.size - offset : length;
	UNIT_ASSERT(cpu == region + (info.dma_addr - bases[info.region]) + offset);
	UNIT_ASSERT((uint64_t)(cpu - region) + resolved <= info.dma_addr - bases[info.region] + (uint64_t)info.size);
#ifdef HANDLES_ASAN
	__asan_poison_memory_region(region, sizes[info.region]);
	__asan_unpoison_memory_region(cpu, resolved);
#else
	(void)sizes;
#endif
	memset(cpu, 0x3C, resolved);
#ifdef HANDLES_ASAN
	__asan_unpoison_memory_region(region, sizes[info.region]);
#endif
	UNIT_EQ(dmabuf_end_cpu_access(ctx, buf, DMABUF_TO_DEVICE, offset, length), 0);
}

static void cpu_views_cover_exactly_the_requested_bytes(void)
{
	struct dmabuf_ctx *ctx = fx_init(NULL);
	UNIT_ASSERT(ctx);
	static const uint32_t sizes[] = { 1, 31, 32, 33, 100, 4095, 4096, 4097 };
	static const uint32_t flags[] = { 0, DMABUF_EXPORT_PREFER_UNCACHED, DMABUF_EXPORT_DEFER_PLACEMENT };
	for (uint32_t f = 0; f < 3; f++) {
		for (uint32_t s = 0; s < sizeof(sizes) / sizeof(sizes[0]); s++) {
			uint32_t size = sizes[s];
			dmabuf_handle_t buf = fx_export(ctx, size, "view", flags[f]);
			UNIT_CHECK_HELPER();
			check_window(ctx, buf, 0, DMABUF_WHOLE);
			check_window(ctx, buf, 0, size);
			check_window(ctx, buf, size - 1, 1);
			check_window(ctx, buf, size / 2, DMABUF_WHOLE);
			check_window(ctx, buf, size / 3, size - size / 3);
			UNIT_CHECK_HELPER();
			UNIT_EQ(dmabuf_put(ctx, buf), 0);
		}
	}
	fx_done(ctx);
}

static void ranges_that_do_not_fit_are_refused_before_any_pointer(void)
{
	struct dmabuf_ctx *ctx = fx_init(NULL);
	UNIT_ASSERT(ctx);
	dmabuf_handle_t buf = fx_export(ctx, 100, "small", 0);
	UNIT_CHECK_HELPER();
	struct fault_scene scene = { .ctx = ctx };
	static const struct {
		uint32_t offset, length;
		int err;
	} bad[] = {
		{ 0, 101, DMABUF_ERANGE },           { 1, 100, DMABUF_ERANGE },
		{ 100, 1, DMABUF_ERANGE },           { 100, DMABUF_WHOLE, DMABUF_ERANGE },
		{ 0xFFFFFFFFu, 1, DMABUF_ERANGE },   { 0xFFFFFFF0u, 0x20, DMABUF_ERANGE },
		{ 50, 0xFFFFFFF0u, DMABUF_ERANGE },  { 0xFFFFFFFFu, DMABUF_WHOLE, DMABUF_ERANGE },
		{ 99, 0xFFFFFFFEu, DMABUF_ERANGE },  { 0, 0, DMABUF_EINVAL },
		{ 50, 0, DMABUF_EINVAL },            { 0x80000000u, 0x80000000u, DMABUF_ERANGE },
	};
	static struct fault_snapshot before;
	fault_snapshot_take(&scene, &before);
	for (uint32_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		void *cpu = NULL;
		uint32_t messages = fx_messages;
		UNIT_EQ(dmabuf_begin_cpu_access(ctx, buf, DMABUF_BIDIRECTIONAL, bad[i].offset, bad[i].length, &cpu),
			bad[i].err);
		EXPECT_MESSAGES(messages, 1);
		UNIT_ASSERT(cpu == NULL);
	}
	fault_expect_scene_unchanged(&scene, &before, 0, 0, 0);
	UNIT_CHECK_HELPER();
	/* The same ranges at end_cpu_access of a real access: refused, and the
	 * access stays open. */
	void *cpu;
	UNIT_EQ(dmabuf_begin_cpu_access(ctx, buf, DMABUF_BIDIRECTIONAL, 0, DMABUF_WHOLE, &cpu), 0);
	for (uint32_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		UNIT_EQ(dmabuf_end_cpu_access(ctx, buf, DMABUF_BIDIRECTIONAL, bad[i].offset, bad[i].length), bad[i].err);
	UNIT_EQ(fx_info(ctx, buf).cpu_access, DMABUF_BIDIRECTIONAL);
	UNIT_EQ(dmabuf_end_cpu_access(ctx, buf, DMABUF_BIDIRECTIONAL, 0, 100), 0);
	UNIT_EQ(dmabuf_put(ctx, buf), 0);
	fx_done(ctx);
}

const struct unit_suite suite_fault_handles = UNIT_SUITE(fault_handles,
	UNIT_TEST(buffer_functions_reject_every_bad_buffer_handle),
	UNIT_TEST(attachment_functions_reject_every_bad_attachment_handle),
	UNIT_TEST(fence_functions_reject_every_bad_fence_handle),
	UNIT_TEST(null_contexts_and_outputs_are_refused),
	UNIT_TEST(cpu_views_cover_exactly_the_requested_bytes),
	UNIT_TEST(ranges_that_do_not_fit_are_refused_before_any_pointer));
