/*
 * Reservations without threads (portable: also runs on the emulated targets):
 * which fences a read or a write conflicts with, how job fences are attached,
 * error semantics, the bounded shared set, the opt-out flag, handle checks
 * and reference leaks. Waits here only poll (timeout 0); blocking waits and
 * the implicit sync of map / CPU access are in tests/native/sync.
 */
#include "dmabuf/os.h"
#include "dmabuf/resv.h"
#include "fixture.h"

#define POOL_FENCES 16u

static uint64_t pool_storage[256];
static uint64_t resv_storage[128];
static struct dmabuf_fence_pool *pool;
static struct dmabuf_resv_table *resv;
static uint32_t timeline;

/* A context with one buffer, a fence pool and a reservation table whose
 * implicit waits give up after @implicit_timeout_us. */
static struct dmabuf_ctx *setup_with_timeout(dmabuf_handle_t *buffer, uint32_t implicit_timeout_us)
{
	struct dmabuf_ctx *ctx = fx_init(&(struct fx_options){ .max_buffers = 8 });
	if (!ctx)
		return NULL;
	if (dmabuf_fence_pool_init(&pool, pool_storage, sizeof(pool_storage), POOL_FENCES) != 0 ||
	    dmabuf_resv_storage_size(8) > sizeof(resv_storage) ||
	    dmabuf_resv_init(&resv, resv_storage, sizeof(resv_storage), ctx, pool, implicit_timeout_us) != 0 ||
	    dmabuf_export(ctx, 256, "frame", 0, buffer) != 0) {
		unit_fail(__FILE__, __LINE__, "resv setup", 0, 0);
		return NULL;
	}
	timeline = dmabuf_fence_context_alloc(pool);
	return ctx;
}

static struct dmabuf_ctx *setup(dmabuf_handle_t *buffer)
{
	return setup_with_timeout(buffer, UINT32_MAX);
}

/* The table holds nothing after deinit, the pool has no fence left, and
 * the context tears down. */
static void teardown(struct dmabuf_ctx *ctx, dmabuf_handle_t buffer)
{
	dmabuf_resv_deinit(resv);
	struct dmabuf_fence_pool_stats stats;
	dmabuf_fence_pool_stats(pool, &stats);
	UNIT_EQ(stats.in_use, 0);
	UNIT_EQ(dmabuf_fence_pool_deinit(pool), 0);
	UNIT_EQ(dmabuf_put(ctx, buffer), 0);
	fx_done(ctx);
}

/* A job fence the test signals; the creator's reference is dropped at once,
 * so only the table (and waits) keep it alive: leaks show in the pool. */
static dmabuf_fence_t job(dmabuf_handle_t buffer, enum dmabuf_direction direction)
{
	dmabuf_fence_t fence = 0;
	if (dmabuf_fence_create(pool, timeline, 0, &fence) != 0 ||
	    dmabuf_resv_attach_job(resv, buffer, direction, fence) != 0 || dmabuf_fence_put(pool, fence) != 0)
		unit_fail(__FILE__, __LINE__, "job fence", 0, 0);
	return fence;
}

static void resv_idle_buffer_never_waits(void)
{
	dmabuf_handle_t buffer;
	struct dmabuf_ctx *ctx = setup(&buffer);
	UNIT_ASSERT(ctx);
	UNIT_EQ(dmabuf_resv_test(resv, buffer, false), 1);
	UNIT_EQ(dmabuf_resv_test(resv, buffer, true), 1);
	UNIT_EQ(dmabuf_resv_wait(resv, buffer, false, 0), 0);
	UNIT_EQ(dmabuf_resv_wait(resv, buffer, true, 0), 0);
	teardown(ctx, buffer);
}

static void resv_reader_conflicts_with_the_writer_only(void)
{
	dmabuf_handle_t buffer;
	struct dmabuf_ctx *ctx = setup(&buffer);
	UNIT_ASSERT(ctx);
	dmabuf_fence_t writer = job(buffer, DMABUF_FROM_DEVICE);
	UNIT_CHECK_HELPER();
	UNIT_EQ(dmabuf_resv_test(resv, buffer, false), 0);
	UNIT_EQ(dmabuf_resv_wait(resv, buffer, false, 0), DMABUF_ETIMEDOUT);
	UNIT_EQ(dmabuf_fence_signal(pool, writer), 0);
	UNIT_EQ(dmabuf_resv_test(resv, buffer, false), 1);
	UNIT_EQ(dmabuf_resv_wait(resv, buffer, false, 0), 0);

	/* A reading device in flight does not hold up another reader... */
	dmabuf_fence_t reader = job(buffer, DMABUF_TO_DEVICE);
	UNIT_CHECK_HELPER();
	UNIT_EQ(dmabuf_resv_test(resv, buffer, false), 1);
	UNIT_EQ(dmabuf_resv_wait(resv, buffer, false, 0), 0);
	/* ...but does hold up a writer. */
	UNIT_EQ(dmabuf_resv_test(resv, buffer, true), 0);
	UNIT_EQ(dmabuf_resv_wait(resv, buffer, true, 0), DMABUF_ETIMEDOUT);
	UNIT_EQ(dmabuf_fence_signal(pool, reader), 0);
	UNIT_EQ(dmabuf_resv_wait(resv, buffer, true, 0), 0);
	teardown(ctx, buffer);
}

static void resv_writer_waits_for_every_reader_and_the_writer(void)
{
	dmabuf_handle_t buffer;
	struct dmabuf_ctx *ctx = setup(&buffer);
	UNIT_ASSERT(ctx);
	dmabuf_fence_t writer = job(buffer, DMABUF_BIDIRECTIONAL);
	UNIT_CHECK_HELPER();
	UNIT_EQ(dmabuf_fence_signal(pool, writer), 0);
	dmabuf_fence_t readers[3];
	for (int i = 0; i < 3; i++) {
		readers[i] = job(buffer, DMABUF_TO_DEVICE);
		UNIT_CHECK_HELPER();
	}
	for (int i = 0; i < 3; i++) {
		UNIT_EQ(dmabuf_resv_wait(resv, buffer, true, 0), DMABUF_ETIMEDOUT);
		UNIT_EQ(dmabuf_fence_signal(pool, readers[2 - i]), 0);
	}
	UNIT_EQ(dmabuf_resv_wait(resv, buffer, true, 0), 0);
	UNIT_EQ(dmabuf_resv_fence_count(resv), 0); /* the wait dropped what it saw signalled */
	teardown(ctx, buffer);
}

static void resv_attach_job_sorts_by_what_the_device_does(void)
{
	dmabuf_handle_t buffer;
	struct dmabuf_ctx *ctx = setup(&buffer);
	UNIT_ASSERT(ctx);
	struct dmabuf_resv_info info;
	dmabuf_fence_t reader = job(buffer, DMABUF_TO_DEVICE);
	UNIT_CHECK_HELPER();
	UNIT_EQ(dmabuf_resv_get_info(resv, buffer, &info), 0);
	UNIT_EQ(info.exclusive, 0);
	UNIT_EQ(info.shared_count, 1);
	UNIT_EQ(info.shared[0], reader);

	/* A writer is ordered after the readers (it waited): it replaces them. */
	UNIT_EQ(dmabuf_fence_signal(pool, reader), 0);
	dmabuf_fence_t writer = job(buffer, DMABUF_FROM_DEVICE);
	UNIT_CHECK_HELPER();
	UNIT_EQ(dmabuf_resv_get_info(resv, buffer, &info), 0);
	UNIT_EQ(info.exclusive, writer);
	UNIT_EQ(info.shared_count, 0);
	UNIT_EQ(dmabuf_fence_status(pool, reader), DMABUF_EBADF); /* its last reference went */

	dmabuf_fence_t fence;
	UNIT_EQ(dmabuf_fence_create(pool, timeline, 9, &fence), 0);
	fx_clear_messages();
	UNIT_EQ(dmabuf_resv_attach_job(resv, buffer, (enum dmabuf_direction)0, fence), DMABUF_EINVAL);
	UNIT_ASSERT(fx_message_has("direction"));
	UNIT_EQ(dmabuf_resv_attach_job(resv, buffer, (enum dmabuf_direction)4, fence), DMABUF_EINVAL);
	UNIT_EQ(dmabuf_resv_get_info(resv, buffer, &info), 0);
	UNIT_EQ(info.exclusive, writer); /* refused calls changed nothing */
	UNIT_EQ(dmabuf_fence_signal(pool, fence), 0);
	UNIT_EQ(dmabuf_fence_put(pool, fence), 0);
	UNIT_EQ(dmabuf_fence_signal(pool, writer), 0);
	teardown(ctx, buffer);
}

static void resv_failed_writer_fails_reads_until_a_new_writer(void)
{
	dmabuf_handle_t buffer;
	struct dmabuf_ctx *ctx = setup(&buffer);
	UNIT_ASSERT(ctx);
	dmabuf_fence_t writer = job(buffer, DMABUF_FROM_DEVICE);
	UNIT_CHECK_HELPER();
	UNIT_EQ(dmabuf_fence_signal_error(pool, writer, DMABUF_EIO), 0);
	/* Every reader learns the bytes are bad, not just the first. */
	UNIT_EQ(dmabuf_resv_wait(resv, buffer, false, 0), DMABUF_EIO);
	UNIT_EQ(dmabuf_resv_wait(resv, buffer, false, 0), DMABUF_EIO);
	/* A writer replaces the bytes: the old failure does not block it. */
	UNIT_EQ(dmabuf_resv_wait(resv, buffer, true, 0), 0);
	dmabuf_fence_t rewrite = job(buffer, DMABUF_FROM_DEVICE);
	UNIT_CHECK_HELPER();
	UNIT_EQ(dmabuf_fence_signal(pool, rewrite), 0);
	UNIT_EQ(dmabuf_resv_wait(resv, buffer, false, 0), 0);

	/* A failed reader changes no byte: nobody sees its error. */
	dmabuf_fence_t reader = job(buffer, DMABUF_TO_DEVICE);
	UNIT_CHECK_HELPER();
	UNIT_EQ(dmabuf_fence_signal_error(pool, reader, DMABUF_EIO), 0);
	UNIT_EQ(dmabuf_resv_wait(resv, buffer, true, 0), 0);
	UNIT_EQ(dmabuf_resv_wait(resv, buffer, false, 0), 0);
	UNIT_EQ(dmabuf_resv_fence_count(resv), 0);
	teardown(ctx, buffer);
}

static void resv_shared_set_is_bounded_and_makes_room_from_signalled(void)
{
	dmabuf_handle_t buffer;
	struct dmabuf_ctx *ctx = setup(&buffer);
	UNIT_ASSERT(ctx);
	dmabuf_fence_t readers[DMABUF_RESV_MAX_SHARED];
	for (uint32_t i = 0; i < DMABUF_RESV_MAX_SHARED; i++) {
		readers[i] = job(buffer, DMABUF_TO_DEVICE);
		UNIT_CHECK_HELPER();
	}
	dmabuf_fence_t extra;
	UNIT_EQ(dmabuf_fence_create(pool, timeline, 99, &extra), 0);
	fx_clear_messages();
	UNIT_EQ(dmabuf_resv_add_shared(resv, buffer, extra), DMABUF_ENOMEM);
	UNIT_ASSERT(fx_message_has("readers"));
	UNIT_EQ(dmabuf_resv_add_shared(resv, buffer, readers[0]), DMABUF_EEXIST);
	struct dmabuf_fence_info info;
	UNIT_EQ(dmabuf_fence_get_info(pool, extra, &info), 0);
	UNIT_EQ(info.refcount, 1); /* the refusal took no reference */

	UNIT_EQ(dmabuf_fence_signal(pool, readers[1]), 0);
	UNIT_EQ(dmabuf_resv_add_shared(resv, buffer, extra), 0);
	UNIT_EQ(dmabuf_resv_fence_count(resv), DMABUF_RESV_MAX_SHARED);
	UNIT_EQ(dmabuf_fence_put(pool, extra), 0);
	for (uint32_t i = 0; i < DMABUF_RESV_MAX_SHARED; i++)
		if (i != 1)
			UNIT_EQ(dmabuf_fence_signal(pool, readers[i]), 0);
	UNIT_EQ(dmabuf_fence_signal(pool, extra), 0);
	teardown(ctx, buffer);
}

static void resv_opt_out_is_recorded_per_buffer_and_explicit_wait_ignores_it(void)
{
	dmabuf_handle_t buffer, other;
	struct dmabuf_ctx *ctx = setup(&buffer);
	UNIT_ASSERT(ctx);
	UNIT_EQ(dmabuf_export(ctx, 64, "other", 0, &other), 0);
	struct dmabuf_resv_info info;
	UNIT_EQ(dmabuf_resv_get_info(resv, buffer, &info), 0);
	UNIT_ASSERT(info.implicit_sync);
	UNIT_EQ(dmabuf_resv_set_implicit_sync(resv, buffer, false), 0);
	UNIT_EQ(dmabuf_resv_get_info(resv, buffer, &info), 0);
	UNIT_ASSERT(!info.implicit_sync);
	UNIT_EQ(dmabuf_resv_get_info(resv, other, &info), 0);
	UNIT_ASSERT(info.implicit_sync);
	/* Fences are still recorded, and the explicit wait still waits. */
	dmabuf_fence_t writer = job(buffer, DMABUF_FROM_DEVICE);
	UNIT_CHECK_HELPER();
	UNIT_EQ(dmabuf_resv_wait(resv, buffer, false, 0), DMABUF_ETIMEDOUT);
	UNIT_EQ(dmabuf_fence_signal(pool, writer), 0);
	UNIT_EQ(dmabuf_put(ctx, other), 0);
	teardown(ctx, buffer);
}

static void resv_rejects_stale_buffers_and_foreign_fences(void)
{
	dmabuf_handle_t buffer;
	struct dmabuf_ctx *ctx = setup(&buffer);
	UNIT_ASSERT(ctx);
	dmabuf_handle_t dead;
	UNIT_EQ(dmabuf_export(ctx, 64, "dead", 0, &dead), 0);
	UNIT_EQ(dmabuf_put(ctx, dead), 0);
	dmabuf_fence_t fence;
	UNIT_EQ(dmabuf_fence_create(pool, timeline, 1, &fence), 0);

	const dmabuf_handle_t bad_buffers[] = { dead, 0, -1, fence };
	for (size_t i = 0; i < sizeof(bad_buffers) / sizeof(bad_buffers[0]); i++) {
		fx_clear_messages();
		UNIT_EQ(dmabuf_resv_add_exclusive(resv, bad_buffers[i], fence), DMABUF_EBADF);
		UNIT_EQ(dmabuf_resv_wait(resv, bad_buffers[i], true, 0), DMABUF_EBADF);
		UNIT_EQ(dmabuf_resv_test(resv, bad_buffers[i], false), DMABUF_EBADF);
		UNIT_EQ(dmabuf_resv_set_implicit_sync(resv, bad_buffers[i], false), DMABUF_EBADF);
#ifdef DMABUF_DEBUG
		UNIT_EQ(fx_messages, 4);
#endif
	}
	/* A buffer handle is not a fence. */
	UNIT_EQ(dmabuf_resv_add_exclusive(resv, buffer, buffer), DMABUF_EBADF);
	UNIT_EQ(dmabuf_resv_add_shared(resv, buffer, 0), DMABUF_EBADF);
	UNIT_EQ(dmabuf_resv_fence_count(resv), 0);
	struct dmabuf_fence_info info;
	UNIT_EQ(dmabuf_fence_get_info(pool, fence, &info), 0);
	UNIT_EQ(info.refcount, 1);
	UNIT_EQ(dmabuf_fence_put(pool, fence), 0);
	teardown(ctx, buffer);
}

static void resv_entry_of_a_dead_buffer_does_not_follow_its_slot(void)
{
	dmabuf_handle_t buffer;
	struct dmabuf_ctx *ctx = setup(&buffer);
	UNIT_ASSERT(ctx);
	/* Cycle slots until a new buffer lands in the old one's slot. */
	dmabuf_handle_t old;
	UNIT_EQ(dmabuf_export(ctx, 64, "old", 0, &old), 0);
	dmabuf_fence_t writer = job(old, DMABUF_FROM_DEVICE);
	UNIT_CHECK_HELPER();
	UNIT_EQ(dmabuf_resv_set_implicit_sync(resv, old, false), 0);
	UNIT_EQ(dmabuf_put(ctx, old), 0);
	dmabuf_handle_t reborn = 0;
	for (int i = 0; i < 8 && (reborn & 0xFFFF) != (old & 0xFFFF); i++) {
		if (reborn)
			UNIT_EQ(dmabuf_put(ctx, reborn), 0);
		UNIT_EQ(dmabuf_export(ctx, 64, "new", 0, &reborn), 0);
	}
	UNIT_EQ(reborn & 0xFFFF, old & 0xFFFF);
	/* The new buffer starts idle, implicit sync on; the old fence's
	 * reference was dropped (the pool sees only the test's none). */
	UNIT_EQ(dmabuf_resv_wait(resv, reborn, true, 0), 0);
	struct dmabuf_resv_info info;
	UNIT_EQ(dmabuf_resv_get_info(resv, reborn, &info), 0);
	UNIT_ASSERT(info.implicit_sync);
	UNIT_EQ(info.exclusive, 0);
	UNIT_EQ(dmabuf_fence_status(pool, writer), DMABUF_EBADF);
	UNIT_EQ(dmabuf_put(ctx, reborn), 0);
	teardown(ctx, buffer);
}

static void resv_deinit_drops_every_reference(void)
{
	dmabuf_handle_t buffer;
	struct dmabuf_ctx *ctx = setup(&buffer);
	UNIT_ASSERT(ctx);
	dmabuf_fence_t writer = 0, reader = 0;
	UNIT_EQ(dmabuf_fence_create(pool, timeline, 1, &writer), 0);
	UNIT_EQ(dmabuf_fence_create(pool, timeline, 2, &reader), 0);
	UNIT_EQ(dmabuf_resv_add_exclusive(resv, buffer, writer), 0);
	UNIT_EQ(dmabuf_resv_add_shared(resv, buffer, reader), 0);
	UNIT_EQ(dmabuf_resv_fence_count(resv), 2);
	dmabuf_resv_deinit(resv);
	struct dmabuf_fence_info info;
	UNIT_EQ(dmabuf_fence_get_info(pool, writer, &info), 0);
	UNIT_EQ(info.refcount, 1);
	UNIT_EQ(dmabuf_fence_get_info(pool, reader, &info), 0);
	UNIT_EQ(info.refcount, 1);
	UNIT_EQ(dmabuf_fence_put(pool, writer), 0);
	UNIT_EQ(dmabuf_fence_put(pool, reader), 0);
	teardown(ctx, buffer);
}

/* ---- implicit sync: map and CPU access (polling: implicit timeout 0) --- */

static int map_once(struct dmabuf_ctx *ctx, dmabuf_handle_t attachment, enum dmabuf_direction direction)
{
	struct dmabuf_mapping mapping;
	int err = dmabuf_map(ctx, attachment, direction, &mapping);
	if (err == 0 && dmabuf_unmap(ctx, attachment, &mapping, direction) != 0)
		unit_fail(__FILE__, __LINE__, "dmabuf_unmap", 0, 0);
	return err;
}

static int cpu_once(struct dmabuf_ctx *ctx, dmabuf_handle_t buffer, enum dmabuf_direction direction)
{
	void *cpu;
	int err = dmabuf_begin_cpu_access(ctx, buffer, direction, 0, DMABUF_WHOLE, &cpu);
	if (err == 0 && dmabuf_end_cpu_access(ctx, buffer, direction, 0, DMABUF_WHOLE) != 0)
		unit_fail(__FILE__, __LINE__, "dmabuf_end_cpu_access", 0, 0);
	return err;
}

static void resv_implicit_map_and_cpu_access_wait_for_the_writer(void)
{
	dmabuf_handle_t buffer, attachment;
	struct dmabuf_ctx *ctx = setup_with_timeout(&buffer, 0);
	UNIT_ASSERT(ctx);
	UNIT_EQ(dmabuf_attach(ctx, buffer, FX_DMA, &attachment), 0);
	dmabuf_fence_t camera = job(buffer, DMABUF_FROM_DEVICE);
	UNIT_CHECK_HELPER();
	/* A device read, a CPU read and a CPU write all conflict with the writer. */
	fx_clear_messages();
	UNIT_EQ(map_once(ctx, attachment, DMABUF_TO_DEVICE), DMABUF_ETIMEDOUT);
	UNIT_ASSERT(fx_message_has("implicit-sync"));
	UNIT_EQ(cpu_once(ctx, buffer, DMABUF_FROM_DEVICE), DMABUF_ETIMEDOUT);
	UNIT_EQ(cpu_once(ctx, buffer, DMABUF_TO_DEVICE), DMABUF_ETIMEDOUT);
	struct dmabuf_info info;
	UNIT_EQ(dmabuf_get_info(ctx, buffer, &info), 0);
	UNIT_EQ(info.device_mappings, 0); /* the refused map changed nothing */
	UNIT_EQ(info.cpu_access, 0);
	UNIT_EQ(dmabuf_fence_signal(pool, camera), 0);
	UNIT_EQ(map_once(ctx, attachment, DMABUF_TO_DEVICE), 0);
	UNIT_EQ(cpu_once(ctx, buffer, DMABUF_FROM_DEVICE), 0);
	UNIT_EQ(dmabuf_detach(ctx, attachment), 0);
	teardown(ctx, buffer);
}

static void resv_implicit_writers_wait_for_readers_readers_do_not(void)
{
	dmabuf_handle_t buffer, attachment;
	struct dmabuf_ctx *ctx = setup_with_timeout(&buffer, 0);
	UNIT_ASSERT(ctx);
	UNIT_EQ(dmabuf_attach(ctx, buffer, FX_DMA, &attachment), 0);
	dmabuf_fence_t display = job(buffer, DMABUF_TO_DEVICE);
	UNIT_CHECK_HELPER();
	UNIT_EQ(cpu_once(ctx, buffer, DMABUF_FROM_DEVICE), 0);
	UNIT_EQ(map_once(ctx, attachment, DMABUF_TO_DEVICE), 0);
	UNIT_EQ(cpu_once(ctx, buffer, DMABUF_TO_DEVICE), DMABUF_ETIMEDOUT);
	UNIT_EQ(cpu_once(ctx, buffer, DMABUF_BIDIRECTIONAL), DMABUF_ETIMEDOUT);
	UNIT_EQ(map_once(ctx, attachment, DMABUF_FROM_DEVICE), DMABUF_ETIMEDOUT);
	UNIT_EQ(dmabuf_fence_signal(pool, display), 0);
	UNIT_EQ(cpu_once(ctx, buffer, DMABUF_TO_DEVICE), 0);
	UNIT_EQ(map_once(ctx, attachment, DMABUF_FROM_DEVICE), 0);
	UNIT_EQ(dmabuf_detach(ctx, attachment), 0);
	teardown(ctx, buffer);
}

static void resv_implicit_sync_opt_out_skips_the_wait(void)
{
	dmabuf_handle_t buffer, attachment;
	struct dmabuf_ctx *ctx = setup_with_timeout(&buffer, 0);
	UNIT_ASSERT(ctx);
	UNIT_EQ(dmabuf_attach(ctx, buffer, FX_DMA, &attachment), 0);
	dmabuf_fence_t camera = job(buffer, DMABUF_FROM_DEVICE);
	UNIT_CHECK_HELPER();
	UNIT_EQ(dmabuf_resv_set_implicit_sync(resv, buffer, false), 0);
	UNIT_EQ(map_once(ctx, attachment, DMABUF_TO_DEVICE), 0);
	UNIT_EQ(cpu_once(ctx, buffer, DMABUF_BIDIRECTIONAL), 0);
	UNIT_EQ(dmabuf_resv_set_implicit_sync(resv, buffer, true), 0);
	UNIT_EQ(map_once(ctx, attachment, DMABUF_TO_DEVICE), DMABUF_ETIMEDOUT);
	UNIT_EQ(dmabuf_fence_signal(pool, camera), 0);
	UNIT_EQ(dmabuf_detach(ctx, attachment), 0);
	teardown(ctx, buffer);
}

static void resv_implicit_failed_writer_fails_cpu_reads_not_writes(void)
{
	dmabuf_handle_t buffer;
	struct dmabuf_ctx *ctx = setup_with_timeout(&buffer, 0);
	UNIT_ASSERT(ctx);
	dmabuf_fence_t camera = job(buffer, DMABUF_FROM_DEVICE);
	UNIT_CHECK_HELPER();
	UNIT_EQ(dmabuf_fence_signal_error(pool, camera, DMABUF_EIO), 0);
	UNIT_EQ(cpu_once(ctx, buffer, DMABUF_FROM_DEVICE), DMABUF_EIO);
	UNIT_EQ(cpu_once(ctx, buffer, DMABUF_TO_DEVICE), 0);
	teardown(ctx, buffer);
}

/* The CPU's way out of a failed writer: rewriting the whole buffer (a write
 * access over all of it, ended) drops the failed fence; a sub-range write, a
 * whole-buffer read, or a writer still in flight does not. */
static void resv_cpu_rewriting_the_whole_buffer_clears_a_failed_writer(void)
{
	dmabuf_handle_t buffer, attachment;
	struct dmabuf_ctx *ctx = setup_with_timeout(&buffer, 0);
	UNIT_ASSERT(ctx);
	UNIT_EQ(dmabuf_attach(ctx, buffer, FX_DMA, &attachment), 0);
	dmabuf_fence_t camera = job(buffer, DMABUF_FROM_DEVICE);
	UNIT_CHECK_HELPER();
	UNIT_EQ(dmabuf_fence_signal_error(pool, camera, DMABUF_EIO), 0);
	void *cpu;
	UNIT_EQ(dmabuf_begin_cpu_access(ctx, buffer, DMABUF_TO_DEVICE, 0, 255, &cpu), 0);
	UNIT_EQ(dmabuf_end_cpu_access(ctx, buffer, DMABUF_TO_DEVICE, 0, 255), 0);
	UNIT_EQ(cpu_once(ctx, buffer, DMABUF_FROM_DEVICE), DMABUF_EIO);
	UNIT_EQ(map_once(ctx, attachment, DMABUF_TO_DEVICE), DMABUF_EIO);
	struct dmabuf_resv_info info;
	UNIT_EQ(dmabuf_resv_get_info(resv, buffer, &info), 0);
	UNIT_EQ(info.exclusive, camera);

	UNIT_EQ(cpu_once(ctx, buffer, DMABUF_TO_DEVICE), 0); /* the whole buffer */
	UNIT_EQ(dmabuf_resv_get_info(resv, buffer, &info), 0);
	UNIT_EQ(info.exclusive, 0);
	UNIT_EQ(cpu_once(ctx, buffer, DMABUF_FROM_DEVICE), 0);
	UNIT_EQ(map_once(ctx, attachment, DMABUF_TO_DEVICE), 0);
	UNIT_EQ(dmabuf_resv_wait(resv, buffer, false, 0), 0);

	/* BIDIRECTIONAL counts as a write, with the explicit length too. */
	camera = job(buffer, DMABUF_FROM_DEVICE);
	UNIT_EQ(dmabuf_fence_signal_error(pool, camera, DMABUF_EIO), 0);
	UNIT_EQ(dmabuf_begin_cpu_access(ctx, buffer, DMABUF_BIDIRECTIONAL, 0, 256, &cpu), 0);
	UNIT_EQ(dmabuf_end_cpu_access(ctx, buffer, DMABUF_BIDIRECTIONAL, 0, 256), 0);
	UNIT_EQ(cpu_once(ctx, buffer, DMABUF_FROM_DEVICE), 0);

	/* A writer still in flight is not the CPU's to drop (implicit sync off). */
	camera = job(buffer, DMABUF_FROM_DEVICE);
	UNIT_EQ(dmabuf_resv_set_implicit_sync(resv, buffer, false), 0);
	UNIT_EQ(cpu_once(ctx, buffer, DMABUF_TO_DEVICE), 0);
	UNIT_EQ(dmabuf_resv_get_info(resv, buffer, &info), 0);
	UNIT_EQ(info.exclusive, camera);
	UNIT_EQ(dmabuf_fence_signal(pool, camera), 0);
	UNIT_EQ(dmabuf_detach(ctx, attachment), 0);
	teardown(ctx, buffer);
}

/* Long enough that a call which waited for the busy buffer would be plain. */
#define ARGUMENT_CHECK_TIMEOUT_US 10000000u

/* Arguments are checked before the implicit wait: on a buffer busy with a
 * writer, every bad argument fails at once with its own code, well before
 * the implicit timeout, and the wait is left to calls that may proceed. */
static void resv_implicit_sync_comes_after_the_argument_checks(void)
{
	dmabuf_handle_t buffer, attachment;
	struct dmabuf_ctx *ctx = setup_with_timeout(&buffer, ARGUMENT_CHECK_TIMEOUT_US);
	UNIT_ASSERT(ctx);
	UNIT_EQ(dmabuf_attach(ctx, buffer, FX_DMA, &attachment), 0);
	dmabuf_fence_t camera = job(buffer, DMABUF_FROM_DEVICE);
	UNIT_CHECK_HELPER();
	void *cpu = NULL;
	struct dmabuf_mapping mapping;
	uint64_t start = dmabuf_time_us();
	UNIT_EQ(dmabuf_begin_cpu_access(ctx, buffer, DMABUF_FROM_DEVICE, 0, 0, &cpu), DMABUF_EINVAL);
	UNIT_EQ(dmabuf_begin_cpu_access(ctx, buffer, DMABUF_FROM_DEVICE, 256, DMABUF_WHOLE, &cpu), DMABUF_ERANGE);
	UNIT_EQ(dmabuf_begin_cpu_access(ctx, buffer, DMABUF_TO_DEVICE, 200, 100, &cpu), DMABUF_ERANGE);
	UNIT_EQ(dmabuf_begin_cpu_access(ctx, buffer, DMABUF_BIDIRECTIONAL, 0xFFFFFFF0u, 0x20, &cpu), DMABUF_ERANGE);
	UNIT_EQ(dmabuf_begin_cpu_access(ctx, buffer, (enum dmabuf_direction)7, 0, 16, &cpu), DMABUF_EINVAL);
	UNIT_EQ(dmabuf_begin_cpu_access(ctx, buffer, DMABUF_FROM_DEVICE, 0, 16, NULL), DMABUF_EINVAL);
	UNIT_EQ(dmabuf_map(ctx, attachment, (enum dmabuf_direction)0, &mapping), DMABUF_EINVAL);
	UNIT_EQ(dmabuf_map(ctx, attachment, DMABUF_TO_DEVICE, NULL), DMABUF_EINVAL);
	UNIT_ASSERT(dmabuf_time_us() - start < ARGUMENT_CHECK_TIMEOUT_US);
	UNIT_ASSERT(cpu == NULL);
	UNIT_EQ(dmabuf_resv_test(resv, buffer, false), 0); /* still busy: nothing waited it out */
	UNIT_EQ(dmabuf_fence_signal(pool, camera), 0);
	UNIT_EQ(dmabuf_detach(ctx, attachment), 0);
	teardown(ctx, buffer);
}

static void resv_implicit_sync_checks_handles_like_the_call_it_guards(void)
{
	dmabuf_handle_t buffer;
	struct dmabuf_ctx *ctx = setup(&buffer);
	UNIT_ASSERT(ctx);
	struct dmabuf_mapping mapping;
	void *cpu;
	fx_clear_messages();
	UNIT_EQ(dmabuf_map(ctx, buffer, DMABUF_TO_DEVICE, &mapping), DMABUF_EBADF); /* a buffer is no attachment */
	UNIT_ASSERT(fx_message_has("dmabuf_map"));
	UNIT_EQ(dmabuf_begin_cpu_access(ctx, 0, DMABUF_TO_DEVICE, 0, DMABUF_WHOLE, &cpu), DMABUF_EBADF);
	UNIT_ASSERT(fx_message_has("dmabuf_begin_cpu_access"));
#ifdef DMABUF_DEBUG
	UNIT_EQ(fx_messages, 2); /* one message per failed call, not one from the wait and one from the call */
#endif
	teardown(ctx, buffer);
}

static void resv_put_of_the_last_reference_drops_the_buffers_fences(void)
{
	dmabuf_handle_t buffer, other;
	struct dmabuf_ctx *ctx = setup(&buffer);
	UNIT_ASSERT(ctx);
	UNIT_EQ(dmabuf_export(ctx, 64, "other", 0, &other), 0);
	dmabuf_fence_t writer = job(other, DMABUF_FROM_DEVICE);
	UNIT_CHECK_HELPER();
	UNIT_EQ(dmabuf_resv_fence_count(resv), 1);
	UNIT_EQ(dmabuf_put(ctx, other), 0);
	UNIT_EQ(dmabuf_resv_fence_count(resv), 0);
	UNIT_EQ(dmabuf_fence_status(pool, writer), DMABUF_EBADF); /* its last reference went with the buffer */
	teardown(ctx, buffer);
}

static void resv_init_refuses_a_second_table(void)
{
	dmabuf_handle_t buffer;
	struct dmabuf_ctx *ctx = setup(&buffer);
	UNIT_ASSERT(ctx);
	static uint64_t second_storage[128];
	struct dmabuf_resv_table *second = NULL;
	UNIT_EQ(dmabuf_resv_init(&second, second_storage, sizeof(second_storage), ctx, pool, 0), DMABUF_EEXIST);
	UNIT_ASSERT(second == NULL);
	teardown(ctx, buffer);
}

static void resv_init_validates_storage(void)
{
	dmabuf_handle_t buffer;
	struct dmabuf_ctx *ctx = setup(&buffer);
	UNIT_ASSERT(ctx);
	struct dmabuf_resv_table *table = NULL;
	UNIT_EQ(dmabuf_resv_storage_size(0), 0);
	UNIT_EQ(dmabuf_resv_init(&table, resv_storage, dmabuf_resv_storage_size(8) - 1, ctx, pool, 0),
		DMABUF_ENOMEM);
	UNIT_EQ(dmabuf_resv_init(&table, (char *)resv_storage + 4, sizeof(resv_storage) - 4, ctx, pool, 0),
		DMABUF_EINVAL);
	UNIT_EQ(dmabuf_resv_init(&table, resv_storage, sizeof(resv_storage), NULL, pool, 0), DMABUF_EINVAL);
	UNIT_EQ(dmabuf_resv_init(&table, resv_storage, sizeof(resv_storage), ctx, NULL, 0), DMABUF_EINVAL);
	UNIT_ASSERT(table == NULL);
	teardown(ctx, buffer);
}

const struct unit_suite suite_resv = UNIT_SUITE(resv,
	UNIT_TEST(resv_idle_buffer_never_waits),
	UNIT_TEST(resv_reader_conflicts_with_the_writer_only),
	UNIT_TEST(resv_writer_waits_for_every_reader_and_the_writer),
	UNIT_TEST(resv_attach_job_sorts_by_what_the_device_does),
	UNIT_TEST(resv_failed_writer_fails_reads_until_a_new_writer),
	UNIT_TEST(resv_shared_set_is_bounded_and_makes_room_from_signalled),
	UNIT_TEST(resv_opt_out_is_recorded_per_buffer_and_explicit_wait_ignores_it),
	UNIT_TEST(resv_rejects_stale_buffers_and_foreign_fences),
	UNIT_TEST(resv_entry_of_a_dead_buffer_does_not_follow_its_slot),
	UNIT_TEST(resv_deinit_drops_every_reference),
	UNIT_TEST(resv_implicit_map_and_cpu_access_wait_for_the_writer),
	UNIT_TEST(resv_implicit_sync_comes_after_the_argument_checks),
	UNIT_TEST(resv_cpu_rewriting_the_whole_buffer_clears_a_failed_writer),
	UNIT_TEST(resv_implicit_writers_wait_for_readers_readers_do_not),
	UNIT_TEST(resv_implicit_sync_opt_out_skips_the_wait),
	UNIT_TEST(resv_implicit_failed_writer_fails_cpu_reads_not_writes),
	UNIT_TEST(resv_implicit_sync_checks_handles_like_the_call_it_guards),
	UNIT_TEST(resv_put_of_the_last_reference_drops_the_buffers_fences),
	UNIT_TEST(resv_init_refuses_a_second_table),
	UNIT_TEST(resv_init_validates_storage));
