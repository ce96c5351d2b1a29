/*
 * Fault injection, initialisation: every way dmabuf_init, the fence pool,
 * the reservation table and the frame queue can refuse to start (bad
 * configuration, too little or misaligned storage, the OS port failing to
 * create its mutex or events), and the refusals of teardown while objects
 * are alive. Each refusal returns its code, leaves the caller's storage and
 * *out untouched (or, for teardown, the object fully usable) and leaks no
 * OS object.
 */
#include <string.h>

#include "core/fixture.h"
#include "os_faults.h"
#include "snapshot.h"

#ifdef DMABUF_DEBUG
#define EXPECT_MESSAGES(before, n) UNIT_EQ(fx_messages, (before) + (n))
#else
#define EXPECT_MESSAGES(before, n) ((void)(before))
#endif

#define STORAGE_FILL 0x5Au

static uint64_t storage[8192];

static bool storage_untouched(const void *bytes, size_t size)
{
	const uint8_t *p = bytes;
	for (size_t i = 0; i < size; i++)
		if (p[i] != STORAGE_FILL)
			return false;
	return true;
}

/* Mutable copies of the fixture board, one field spoiled per case. */
static struct dmabuf_region_desc regions[FX_REGION_COUNT];
static struct dmabuf_device_desc devices[FX_DEVICE_COUNT];
static struct dmabuf_window window;
static struct dmabuf_board board;
static void *region_memory[FX_REGION_COUNT];
static struct dmabuf_config config;

static void valid_config(void)
{
	struct dmabuf_ctx *probe = fx_init(NULL); /* fills fx_config, fx_board */
	if (probe)
		dmabuf_deinit(probe);
	memcpy(regions, fx_board.regions, sizeof(regions));
	memcpy(devices, fx_board.devices, sizeof(devices));
	board = fx_board;
	board.regions = regions;
	board.devices = devices;
	for (uint32_t r = 0; r < FX_REGION_COUNT; r++)
		region_memory[r] = fx_region_memory((enum fx_region)r);
	config = fx_config;
	config.board = &board;
	config.region_memory = region_memory;
}

static int mutate_config(int which)
{
	static const struct dmabuf_cache_ops clean_only = { .clean_range = NULL };
	static struct dmabuf_cache_ops no_invalidate;
	static struct dmabuf_ownership_ops half_ownership;
	no_invalidate = *fx_config.cache;
	no_invalidate.invalidate_range = NULL;
	half_ownership.device_owned = NULL;
	switch (which) {
	case 0: config.board = NULL; break;
	case 1: config.region_memory = NULL; break;
	case 2: config.cache = NULL; break;
	case 3: config.cache = &clean_only; break;
	case 4: config.cache = &no_invalidate; break;
	case 5: config.ownership = &half_ownership; break;
	case 6: config.max_buffers = 0; break;
	case 7: config.max_buffers = 16385; break;
	case 8: config.max_attachments = 16385; break;
	case 9: board.region_count = 0; break;
	case 10: board.region_count = 65; break;
	case 11: board.regions = NULL; break;
	case 12: regions[1].name = NULL; break;
	case 13: regions[2].cache_line = 48; break;      /* not a power of two */
	case 14: regions[2].cache_line = 2; break;       /* below 4 */
	case 15: regions[3].size = 0; break;
	case 16: regions[3].bus_base += 16; break;       /* not line-aligned */
	case 17: regions[3].size -= 8; break;
	case 18: regions[0].bus_base = 0xFFFF0000u; break; /* wraps past 4 GiB */
	case 19: region_memory[2] = NULL; break;
	case 20: region_memory[3] = (uint8_t *)region_memory[3] + 32; break; /* 64-byte line */
	case 21: regions[2].bus_base = regions[0].bus_base + 4096; break; /* overlaps sram */
	case 22: board.devices = NULL; break;
	case 23: devices[4].name = NULL; break;
	case 24: devices[0].window_count = 0; break;
	case 25: devices[0].windows = NULL; break;
	case 26: window = (struct dmabuf_window){ 0x20000000u, 0 }; devices[1].windows = &window; devices[1].window_count = 1; break;
	case 27: window = (struct dmabuf_window){ 0xFFFFF000u, 0x2000u }; devices[1].windows = &window; devices[1].window_count = 1; break;
	case 28: devices[2].align = 3; break;
	case 29: devices[2].align = 0; break;
	case 30: devices[3].max_segment_bytes = 2; break; /* below align 4 */
	case 31: board.device_count = 0x10000; break;
	default: return -1;
	}
	return 0;
}

static void context_init_rejects_every_bad_config_and_touches_nothing(void)
{
	for (int which = 0;; which++) {
		valid_config();
		UNIT_CHECK_HELPER();
		if (mutate_config(which) != 0)
			break;
		memset(storage, STORAGE_FILL, sizeof(storage));
		struct dmabuf_ctx *ctx = (struct dmabuf_ctx *)&which; /* must stay untouched */
		int32_t mutexes = os_faults_mutexes_alive();
		uint32_t messages = fx_messages;
		int err = dmabuf_init(&ctx, storage, sizeof(storage), &config);
		if (err != DMABUF_EINVAL)
			unit_fail(__FILE__, __LINE__, "bad config case not refused with -EINVAL", which, err);
		UNIT_EQ(err, DMABUF_EINVAL);
		EXPECT_MESSAGES(messages, 1);
		UNIT_ASSERT(fx_message_has("dmabuf_init: "));
		UNIT_ASSERT(ctx == (struct dmabuf_ctx *)&which);
		UNIT_ASSERT(storage_untouched(storage, sizeof(storage)));
		UNIT_EQ(os_faults_mutexes_alive(), mutexes);
		/* The size query agrees, silently. */
		messages = fx_messages;
		UNIT_EQ(dmabuf_storage_size(&config), 0);
		EXPECT_MESSAGES(messages, 0);
	}
}

static void context_init_refuses_small_misaligned_or_missing_storage(void)
{
	valid_config();
	UNIT_CHECK_HELPER();
	size_t need = dmabuf_storage_size(&config);
	UNIT_ASSERT(need > 0 && need < sizeof(storage));
	static const size_t short_by[] = { 1, 8, 100 };
	for (uint32_t i = 0; i < 3; i++) {
		memset(storage, STORAGE_FILL, sizeof(storage));
		struct dmabuf_ctx *ctx = NULL;
		uint32_t messages = fx_messages;
		UNIT_EQ(dmabuf_init(&ctx, storage, need - short_by[i], &config), DMABUF_ENOMEM);
		EXPECT_MESSAGES(messages, 1);
		UNIT_ASSERT(fx_message_has("dmabuf_init: storage:"));
		UNIT_ASSERT(ctx == NULL);
		UNIT_ASSERT(storage_untouched(storage, sizeof(storage)));
	}
	memset(storage, STORAGE_FILL, sizeof(storage));
	struct dmabuf_ctx *ctx = NULL;
	UNIT_EQ(dmabuf_init(&ctx, (uint8_t *)storage + 4, need, &config), DMABUF_EINVAL);
	UNIT_ASSERT(fx_message_has("not 8-byte aligned"));
	UNIT_EQ(dmabuf_init(NULL, storage, need, &config), DMABUF_EINVAL);
	UNIT_EQ(dmabuf_init(&ctx, NULL, need, &config), DMABUF_EINVAL);
	UNIT_EQ(dmabuf_init(&ctx, storage, need, NULL), DMABUF_EINVAL);
	UNIT_EQ(dmabuf_storage_size(NULL), 0);
	UNIT_ASSERT(ctx == NULL);
	UNIT_ASSERT(storage_untouched(storage, sizeof(storage)));
	/* Exactly the size asked for is enough. */
	UNIT_EQ(dmabuf_init(&ctx, storage, need, &config), 0);
	UNIT_EQ(dmabuf_check(ctx), 0);
	UNIT_EQ(dmabuf_deinit(ctx), 0);
}

static void context_init_survives_the_os_port_failing_its_mutex(void)
{
	valid_config();
	UNIT_CHECK_HELPER();
	struct dmabuf_ctx *ctx = NULL;
	int32_t mutexes = os_faults_mutexes_alive();
	uint32_t messages = fx_messages;
	os_faults_fail_mutex_init(1);
	UNIT_EQ(dmabuf_init(&ctx, storage, sizeof(storage), &config), DMABUF_ENOMEM);
	EXPECT_MESSAGES(messages, 1);
	UNIT_ASSERT(fx_message_has("dmabuf_init: lock:"));
	UNIT_ASSERT(ctx == NULL);
	UNIT_EQ(os_faults_mutexes_alive(), mutexes);
	/* The next attempt gets its mutex; deinit gives it back. */
	UNIT_EQ(dmabuf_init(&ctx, storage, sizeof(storage), &config), 0);
	UNIT_EQ(os_faults_mutexes_alive(), mutexes + 1);
	UNIT_EQ(dmabuf_deinit(ctx), 0);
	UNIT_EQ(os_faults_mutexes_alive(), mutexes);
}

static void context_deinit_with_live_buffers_refuses_and_stays_usable(void)
{
	struct dmabuf_ctx *ctx = fx_init(NULL);
	UNIT_ASSERT(ctx);
	dmabuf_handle_t a = fx_export(ctx, 100, "left_a", 0);
	dmabuf_handle_t b = fx_export(ctx, 200, "left_b", DMABUF_EXPORT_DEFER_PLACEMENT);
	UNIT_CHECK_HELPER();
	struct fault_scene scene = { .ctx = ctx };
	static struct fault_snapshot before;
	fault_snapshot_take(&scene, &before);
	uint32_t messages = fx_messages;
	UNIT_EQ(dmabuf_deinit(ctx), DMABUF_EBUSY);
	EXPECT_MESSAGES(messages, 2); /* one per leaked buffer, by name */
	UNIT_ASSERT(fx_message_has("dmabuf_deinit: leak: buffer 'left_b'"));
	fault_expect_scene_unchanged(&scene, &before, 0, 0, 0);
	UNIT_CHECK_HELPER();
	UNIT_EQ(dmabuf_put(ctx, a), 0);
	UNIT_EQ(dmabuf_put(ctx, b), 0);
	fx_done(ctx);
}

static void fence_pool_init_refuses_bad_arguments_and_touches_nothing(void)
{
	static uint64_t pool_storage[512];
	size_t need = dmabuf_fence_pool_storage_size(8);
	UNIT_ASSERT(need > 0 && need < sizeof(pool_storage));
	UNIT_EQ(dmabuf_fence_pool_storage_size(0), 0);
	UNIT_EQ(dmabuf_fence_pool_storage_size(DMABUF_FENCE_MAX + 1), 0);
	struct dmabuf_fence_pool *pool = NULL;
	memset(pool_storage, STORAGE_FILL, sizeof(pool_storage));
	UNIT_EQ(dmabuf_fence_pool_init(NULL, pool_storage, need, 8), DMABUF_EINVAL);
	UNIT_EQ(dmabuf_fence_pool_init(&pool, NULL, need, 8), DMABUF_EINVAL);
	UNIT_EQ(dmabuf_fence_pool_init(&pool, (uint8_t *)pool_storage + 4, need, 8), DMABUF_EINVAL);
	UNIT_EQ(dmabuf_fence_pool_init(&pool, pool_storage, need, 0), DMABUF_EINVAL);
	UNIT_EQ(dmabuf_fence_pool_init(&pool, pool_storage, sizeof(pool_storage), DMABUF_FENCE_MAX + 1), DMABUF_EINVAL);
	UNIT_EQ(dmabuf_fence_pool_init(&pool, pool_storage, need - 1, 8), DMABUF_ENOMEM);
	UNIT_EQ(dmabuf_fence_pool_init(&pool, pool_storage, 0, 8), DMABUF_ENOMEM);
	UNIT_ASSERT(pool == NULL);
	UNIT_ASSERT(storage_untouched(pool_storage, sizeof(pool_storage)));
	UNIT_EQ(dmabuf_fence_pool_init(&pool, pool_storage, need, 8), 0);
	UNIT_EQ(dmabuf_fence_pool_check(pool), 0);
	UNIT_EQ(dmabuf_fence_pool_deinit(pool), 0);
}

static void fence_pool_deinit_with_live_fences_refuses_and_stays_usable(void)
{
	static uint64_t pool_storage[512];
	struct dmabuf_fence_pool *pool;
	UNIT_EQ(dmabuf_fence_pool_init(&pool, pool_storage, sizeof(pool_storage), 4), 0);
	dmabuf_fence_t fence;
	UNIT_EQ(dmabuf_fence_create(pool, dmabuf_fence_context_alloc(pool), 7, &fence), 0);
	UNIT_EQ(dmabuf_fence_pool_deinit(pool), DMABUF_EBUSY);
	UNIT_EQ(dmabuf_fence_pool_check(pool), 0);
	UNIT_EQ(dmabuf_fence_status(pool, fence), 0);
	UNIT_EQ(dmabuf_fence_signal(pool, fence), 0);
	UNIT_EQ(dmabuf_fence_put(pool, fence), 0);
	UNIT_EQ(dmabuf_fence_pool_deinit(pool), 0);
}

static void resv_init_refuses_bad_storage_and_a_second_table(void)
{
	static uint64_t pool_storage[512], resv_storage[256], other_storage[256];
	struct dmabuf_ctx *ctx = fx_init(&(struct fx_options){ .max_buffers = 8 });
	UNIT_ASSERT(ctx);
	struct dmabuf_fence_pool *pool;
	UNIT_EQ(dmabuf_fence_pool_init(&pool, pool_storage, sizeof(pool_storage), 4), 0);
	size_t need = dmabuf_resv_storage_size(8);
	UNIT_ASSERT(need > 0 && need <= sizeof(resv_storage));
	UNIT_EQ(dmabuf_resv_storage_size(0), 0);
	struct dmabuf_resv_table *table = NULL;
	memset(resv_storage, STORAGE_FILL, sizeof(resv_storage));
	UNIT_EQ(dmabuf_resv_init(NULL, resv_storage, need, ctx, pool, 0), DMABUF_EINVAL);
	UNIT_EQ(dmabuf_resv_init(&table, NULL, need, ctx, pool, 0), DMABUF_EINVAL);
	UNIT_EQ(dmabuf_resv_init(&table, resv_storage, need, NULL, pool, 0), DMABUF_EINVAL);
	UNIT_EQ(dmabuf_resv_init(&table, resv_storage, need, ctx, NULL, 0), DMABUF_EINVAL);
	UNIT_EQ(dmabuf_resv_init(&table, (uint8_t *)resv_storage + 4, need, ctx, pool, 0), DMABUF_EINVAL);
	uint32_t messages = fx_messages;
	UNIT_EQ(dmabuf_resv_init(&table, resv_storage, need - 1, ctx, pool, 0), DMABUF_ENOMEM);
	EXPECT_MESSAGES(messages, 1);
	UNIT_ASSERT(fx_message_has("dmabuf_resv_init: storage:"));
	UNIT_ASSERT(table == NULL);
	UNIT_ASSERT(storage_untouched(resv_storage, sizeof(resv_storage)));

	/* A bound table refuses a second one and keeps working. */
	UNIT_EQ(dmabuf_resv_init(&table, resv_storage, need, ctx, pool, 0), 0);
	dmabuf_handle_t buf = fx_export(ctx, 64, "bound", 0);
	dmabuf_fence_t fence;
	UNIT_EQ(dmabuf_fence_create(pool, dmabuf_fence_context_alloc(pool), 1, &fence), 0);
	UNIT_EQ(dmabuf_resv_add_exclusive(table, buf, fence), 0);
	struct fault_scene scene = { .ctx = ctx, .pool = pool, .resv = table };
	static struct fault_snapshot before;
	fault_snapshot_take(&scene, &before);
	struct dmabuf_resv_table *second = NULL;
	memset(other_storage, STORAGE_FILL, sizeof(other_storage));
	messages = fx_messages;
	UNIT_EQ(dmabuf_resv_init(&second, other_storage, need, ctx, pool, 0), DMABUF_EEXIST);
	EXPECT_MESSAGES(messages, 1);
	UNIT_ASSERT(second == NULL);
	UNIT_ASSERT(storage_untouched(other_storage, sizeof(other_storage)));
	fault_expect_scene_unchanged(&scene, &before, 0, 0, 0);
	UNIT_CHECK_HELPER();
	UNIT_EQ(dmabuf_resv_test(table, buf, false), 0);

	UNIT_EQ(dmabuf_fence_signal(pool, fence), 0);
	UNIT_EQ(dmabuf_fence_put(pool, fence), 0);
	dmabuf_resv_deinit(table);
	UNIT_EQ(dmabuf_put(ctx, buf), 0);
	UNIT_EQ(dmabuf_fence_pool_deinit(pool), 0);
	fx_done(ctx);
}

static void queue_init_refuses_bad_arguments_and_os_event_failures_without_leaks(void)
{
	static uint64_t queue_storage[1024];
	const dmabuf_handle_t buffers[] = { 0x10010000, 0x10010001, 0x10010002 };
	const dmabuf_handle_t repeated[] = { 0x10010000, 0x10010001, 0x10010000 };
	const dmabuf_handle_t zero[] = { 0x10010000, 0, 0x10010002 };
	const dmabuf_handle_t negative[] = { 0x10010000, -7, 0x10010002 };
	size_t need = dmabuf_queue_storage_size(3);
	UNIT_ASSERT(need > 0 && need < sizeof(queue_storage));
	UNIT_EQ(dmabuf_queue_storage_size(0), 0);
	UNIT_EQ(dmabuf_queue_storage_size(DMABUF_QUEUE_MAX_FRAMES + 1), 0);
	struct dmabuf_queue *queue = NULL;
	int32_t events = os_faults_events_alive();
	memset(queue_storage, STORAGE_FILL, sizeof(queue_storage));
	UNIT_EQ(dmabuf_queue_init(NULL, queue_storage, need, buffers, 3, DMABUF_QUEUE_LATEST), DMABUF_EINVAL);
	UNIT_EQ(dmabuf_queue_init(&queue, NULL, need, buffers, 3, DMABUF_QUEUE_LATEST), DMABUF_EINVAL);
	UNIT_EQ(dmabuf_queue_init(&queue, queue_storage, need, NULL, 3, DMABUF_QUEUE_LATEST), DMABUF_EINVAL);
	UNIT_EQ(dmabuf_queue_init(&queue, (uint8_t *)queue_storage + 4, need, buffers, 3, DMABUF_QUEUE_LATEST),
		DMABUF_EINVAL);
	UNIT_EQ(dmabuf_queue_init(&queue, queue_storage, need, buffers, 3, (enum dmabuf_queue_mode)0), DMABUF_EINVAL);
	UNIT_EQ(dmabuf_queue_init(&queue, queue_storage, need, buffers, 3, (enum dmabuf_queue_mode)3), DMABUF_EINVAL);
	UNIT_EQ(dmabuf_queue_init(&queue, queue_storage, need, buffers, 0, DMABUF_QUEUE_LATEST), DMABUF_EINVAL);
	static dmabuf_handle_t many[DMABUF_QUEUE_MAX_FRAMES + 1];
	for (uint32_t i = 0; i <= DMABUF_QUEUE_MAX_FRAMES; i++)
		many[i] = (dmabuf_handle_t)(0x10010000u + i);
	UNIT_EQ(dmabuf_queue_init(&queue, queue_storage, sizeof(queue_storage), many, DMABUF_QUEUE_MAX_FRAMES + 1,
				  DMABUF_QUEUE_LATEST), DMABUF_EINVAL);
	UNIT_EQ(dmabuf_queue_init(&queue, queue_storage, need, repeated, 3, DMABUF_QUEUE_LATEST), DMABUF_EINVAL);
	UNIT_EQ(dmabuf_queue_init(&queue, queue_storage, need, zero, 3, DMABUF_QUEUE_LATEST), DMABUF_EINVAL);
	UNIT_EQ(dmabuf_queue_init(&queue, queue_storage, need, negative, 3, DMABUF_QUEUE_LATEST), DMABUF_EINVAL);
	UNIT_EQ(dmabuf_queue_init(&queue, queue_storage, need - 1, buffers, 3, DMABUF_QUEUE_LATEST), DMABUF_ENOMEM);
	UNIT_ASSERT(storage_untouched(queue_storage, sizeof(queue_storage)));
	/* The OS port fails the first event, then the second: the first one
	 * must be given back. */
	os_faults_fail_event_init(1);
	UNIT_EQ(dmabuf_queue_init(&queue, queue_storage, need, buffers, 3, DMABUF_QUEUE_LATEST), DMABUF_ENOMEM);
	UNIT_EQ(os_faults_events_alive(), events);
	os_faults_fail_event_init(2);
	UNIT_EQ(dmabuf_queue_init(&queue, queue_storage, need, buffers, 3, DMABUF_QUEUE_LATEST), DMABUF_ENOMEM);
	UNIT_EQ(os_faults_events_alive(), events);
	UNIT_ASSERT(queue == NULL);
	UNIT_EQ(dmabuf_queue_init(&queue, queue_storage, need, buffers, 3, DMABUF_QUEUE_LATEST), 0);
	UNIT_EQ(os_faults_events_alive(), events + 2);
	UNIT_EQ(dmabuf_queue_check(queue), 0);

	/* Deinit with a frame out is refused and changes nothing. */
	struct dmabuf_queue_frame frame;
	UNIT_EQ(dmabuf_queue_dequeue(queue, 0, &frame), 0);
	struct dmabuf_queue_stats before, after;
	dmabuf_queue_stats(queue, &before);
	UNIT_EQ(dmabuf_queue_deinit(queue), DMABUF_EBUSY);
	dmabuf_queue_stats(queue, &after);
	UNIT_EQ(memcmp(&before, &after, sizeof(before)), 0);
	UNIT_EQ(dmabuf_queue_check(queue), 0);
	UNIT_EQ(dmabuf_queue_cancel(queue, frame.index), 0);
	UNIT_EQ(dmabuf_queue_deinit(queue), 0);
	UNIT_EQ(os_faults_events_alive(), events);
}

const struct unit_suite suite_fault_init = UNIT_SUITE(fault_init,
	UNIT_TEST(context_init_rejects_every_bad_config_and_touches_nothing),
	UNIT_TEST(context_init_refuses_small_misaligned_or_missing_storage),
	UNIT_TEST(context_init_survives_the_os_port_failing_its_mutex),
	UNIT_TEST(context_deinit_with_live_buffers_refuses_and_stays_usable),
	UNIT_TEST(fence_pool_init_refuses_bad_arguments_and_touches_nothing),
	UNIT_TEST(fence_pool_deinit_with_live_fences_refuses_and_stays_usable),
	UNIT_TEST(resv_init_refuses_bad_storage_and_a_second_table),
	UNIT_TEST(queue_init_refuses_bad_arguments_and_os_event_failures_without_leaks));
