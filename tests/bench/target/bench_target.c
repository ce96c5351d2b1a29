/*
 * Instruction counts per operation on the QEMU targets (Cortex-M7 mps2-an500,
 * RV32 virt), release build. Each measured statement runs between
 * bench_begin() and bench_end(); the insn_count QEMU plugin (insn_count.c)
 * prints the instructions executed in between, in order, and this firmware
 * prints the matching names ("bench NAME") on its console. The "empty" pair,
 * measured first, is the markers' own cost; the stage subtracts it.
 *
 * On Cortex-M7 the plugin also counts the stores to the SCB cache maintenance
 * registers, and where this firmware knows how many there must be (one per
 * line of the range, or one per set and way of a whole-cache pass) it prints
 * them ("bench NAME STORES"): the stage checks they are exact. Where it also
 * knows which registers and which values ("bench NAME STORES REGS FIRST":
 * REGS the SCB offsets, e.g. "f64,f68"; FIRST the first line's address, or
 * "sw:MASK" for a set/way pass whose words lie within MASK), the stage reads
 * every maintenance write from QEMU's nvic_sysreg_write trace and checks each
 * went to one of REGS and that the values are exactly the lines (or distinct
 * set/way words), one write each.
 *
 * Each measured call is preceded by one unmeasured warm-up of the same cycle,
 * so the counts are of the steady state a frame loop sees (the first map,
 * measured separately, excepted).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench_fixture.h"
#include "boards.h"
#include "dmabuf/cache.h"
#include "dmabuf/dmabuf.h"
#include "dmabuf/fence.h"
#include "dmabuf/frame.h"
#include "dmabuf/queue.h"
#include "kernels.h"
#include "pipeline_frame.h"
/* the heap's own calls, counted alone by bench_alloc_trace */
#include "../../../native-interop/core/internal.h"

#if defined(__arm__)
/* The PSRAM the board describes (mps2-an500 has it at these addresses). */
static void *const region_memory[] = { (void *)0x60000000u, (void *)0x60F00000u };
#define BENCH_BOARD dmabuf_board_qemu_mps2_an500
#define BENCH_CACHE (&dmabuf_cache_cortex_m7)
#else
/* virt's DRAM above the image (firmware/qemu-riscv32-virt/virt.ld). No
 * cacheable region: RV32 counts are the core's logic and the copies. */
static void *const region_memory[] = { (void *)0x81000000u };
#define BENCH_BOARD dmabuf_board_qemu_riscv32_virt
#define BENCH_CACHE (&dmabuf_cache_none)
#endif

#define FRAME_BYTES(w, h) ((uint32_t)(w) * (uint32_t)(h) * 2u) /* RGB565 */

/* Distinct bodies: identical functions could be folded into one address. */
__attribute__((noipa, used)) void bench_begin(void);
__attribute__((noipa, used)) void bench_end(void);
void bench_begin(void)
{
	__asm volatile("" ::: "memory");
}
void bench_end(void)
{
	__asm volatile("nop" ::: "memory");
}

static void expect(int err, const char *what)
{
	if (err) {
		printf("bench: %s failed: %s\n", what, dmabuf_strerror(err));
		exit(1);
	}
}

#if defined(__arm__)
#define STORES_KNOWN 1
#else
#define STORES_KNOWN 0 /* no cache maintenance on virt */
#endif

/* Maintenance stores the next measured call must make (-1: not stated). */
static long expected_stores = -1;
/* The registers they go to (0: not stated), one or two SCB offsets packed
 * 12 bits each (0xF64F68: DCCMVAU or DCCMVAC), and their values: the lines
 * from *expected_at on (read after the call, which may be what returns the
 * address), or with expected_at NULL a set/way pass. Numbers, not strings:
 * new string constants ahead of the kernels' names would move them, and the
 * strcmp of the kernel dispatch counts differently on other alignments. */
static uint32_t expected_regs;
static void *const *expected_at;

static void print_stated(const char *name); /* at the end of the file, see above */

static void name_measured(const char *name)
{
	if (expected_stores >= 0 && STORES_KNOWN)
		print_stated(name);
	else
		printf("bench %s\n", name);
	expected_regs = 0;
	expected_at = NULL;
}

/* Measure @stmt (which sets err) under @name when @on, else just run it. */
#define MEASURE(on, name, stmt)                         \
	do {                                            \
		int err;                                \
		if (on)                                 \
			bench_begin();                  \
		stmt;                                   \
		if (on) {                               \
			bench_end();                    \
			name_measured(name);            \
		}                                       \
		expected_stores = -1;                   \
		expect(err, name);                      \
	} while (0)

static const struct {
	const char *name;
	uint32_t bytes;
} frames[] = { { "320x240", FRAME_BYTES(320, 240) }, { "800x480", FRAME_BYTES(800, 480) } };

static uint64_t ctx_storage[2048];
static struct dmabuf_board board;

/* The registers of each maintenance, as the board makes the backend use
 * them (SCB offsets of DCIMVAC, DCCMVAU + DCCMVAC or DCCMVAC, DCCSW,
 * DCCISW). */
#define REGS_INVALIDATE 0xF5Cu
#define REGS_CLEAN(b) ((b)->dcache_pou_is_poc ? 0xF64F68u : 0xF68u)
#define REGS_CLEAN_ALL 0xF6Cu
#define REGS_CLEAN_INVALIDATE_ALL 0xF74u

/* A context on the target's board; @threshold replaces its whole-cache
 * threshold (0: always the line loop). */
static struct dmabuf_ctx *open_ctx(uint32_t threshold)
{
	board = BENCH_BOARD;
	board.whole_cache_threshold = threshold;
	const struct dmabuf_config config = {
		.board = &board,
		.region_memory = region_memory,
		.cache = BENCH_CACHE,
		.cache_priv = (void *)&board,
		.max_buffers = 8,
		.max_attachments = 8,
	};
	struct dmabuf_ctx *ctx = NULL;
	expect(dmabuf_init(&ctx, ctx_storage, sizeof(ctx_storage), &config), "dmabuf_init");
	return ctx;
}

/* map/unmap FROM_DEVICE (the device filled it), then the CPU reads, then
 * writes, [offset, offset + length). Each maintaining call makes @stores
 * maintenance writes (its lines, or the set/way pass); opening a write
 * access invalidates only when it does not cover the whole buffer (its
 * partial lines may hold the device's bytes). */
static void cpu_cycle(struct dmabuf_ctx *ctx, dmabuf_handle_t buffer, dmabuf_handle_t attachment,
		      uint32_t offset, uint32_t length, const char *what, int on, long stores, int whole)
{
	char name[64];
	struct dmabuf_mapping mapping;
	void *cpu = NULL;
	/* the accesses start at offset 0, on the buffer's first line */
	void *const *at = whole ? NULL : &cpu;
	expect(dmabuf_map(ctx, attachment, DMABUF_FROM_DEVICE, &mapping), "dmabuf_map");
	expect(dmabuf_unmap(ctx, attachment, &mapping, DMABUF_FROM_DEVICE), "dmabuf_unmap");
	snprintf(name, sizeof(name), "cpu/read-begin/%s", what);
	expected_stores = stores;
	expected_regs = whole ? REGS_CLEAN_INVALIDATE_ALL : REGS_INVALIDATE;
	expected_at = at;
	MEASURE(on, name, err = dmabuf_begin_cpu_access(ctx, buffer, DMABUF_FROM_DEVICE, offset, length, &cpu));
	snprintf(name, sizeof(name), "cpu/read-end/%s", what);
	expected_stores = 0;
	MEASURE(on, name, err = dmabuf_end_cpu_access(ctx, buffer, DMABUF_FROM_DEVICE, offset, length));
	snprintf(name, sizeof(name), "cpu/write-begin/%s", what);
	expected_stores = length == DMABUF_WHOLE ? 0 : stores;
	expected_regs = whole ? REGS_CLEAN_INVALIDATE_ALL : REGS_INVALIDATE;
	expected_at = at;
	MEASURE(on, name, err = dmabuf_begin_cpu_access(ctx, buffer, DMABUF_TO_DEVICE, offset, length, &cpu));
	snprintf(name, sizeof(name), "cpu/write-end/%s", what);
	expected_stores = stores;
	expected_regs = whole ? REGS_CLEAN_ALL : REGS_CLEAN(&board);
	expected_at = at;
	MEASURE(on, name, err = dmabuf_end_cpu_access(ctx, buffer, DMABUF_TO_DEVICE, offset, length));
	/* unmeasured (on 0): nothing printed them, nothing may inherit them */
	expected_regs = 0;
	expected_at = NULL;
}

/* Lifecycle, map, and begin/end over one line (on the line-loop path). */
static void bench_ops(void)
{
	struct dmabuf_ctx *ctx = open_ctx(0);
	dmabuf_handle_t buffer, attachment;
	struct dmabuf_mapping mapping;
	for (int on = 0; on < 2; on++) {
		MEASURE(on, "export/320x240", err = dmabuf_export(ctx, FRAME_BYTES(320, 240), "frame", 0, &buffer));
		MEASURE(on, "attach", err = dmabuf_attach(ctx, buffer, 0, &attachment));
		MEASURE(on, "map/first", err = dmabuf_map(ctx, attachment, DMABUF_TO_DEVICE, &mapping));
		MEASURE(on, "unmap", err = dmabuf_unmap(ctx, attachment, &mapping, DMABUF_TO_DEVICE));
		MEASURE(on, "map/memoised", err = dmabuf_map(ctx, attachment, DMABUF_TO_DEVICE, &mapping));
		expect(dmabuf_unmap(ctx, attachment, &mapping, DMABUF_TO_DEVICE), "dmabuf_unmap");
		cpu_cycle(ctx, buffer, attachment, 0, 32, "1-line", on, 1, 0);
		MEASURE(on, "detach", err = dmabuf_detach(ctx, attachment));
		MEASURE(on, "put/320x240", err = dmabuf_put(ctx, buffer));
	}
	expect(dmabuf_deinit(ctx), "dmabuf_deinit");
}

/* Whole frames on each path: the line loop, and the board's shipped
 * threshold (above it, the whole cache by set/way). */
static void bench_frames(void)
{
	for (size_t f = 0; f < 2; f++) {
		for (int whole = 0; whole < 2; whole++) {
			struct dmabuf_ctx *ctx = open_ctx(whole ? BENCH_BOARD.whole_cache_threshold : 0);
			dmabuf_handle_t buffer, attachment;
			expect(dmabuf_export(ctx, frames[f].bytes, "frame", 0, &buffer), "dmabuf_export");
			expect(dmabuf_attach(ctx, buffer, 0, &attachment), "dmabuf_attach");
			char what[32];
			snprintf(what, sizeof(what), "%s/%s", frames[f].name, whole ? "shipped" : "lines");
			/* above the threshold: one pass over every set and way */
			uint32_t threshold = BENCH_BOARD.whole_cache_threshold;
			int pass = whole && threshold && frames[f].bytes > threshold;
			long stores = pass ? (long)(BENCH_BOARD.dcache_size / 32u) : (long)(frames[f].bytes / 32u);
			cpu_cycle(ctx, buffer, attachment, 0, DMABUF_WHOLE, what, 0, stores, pass);
			cpu_cycle(ctx, buffer, attachment, 0, DMABUF_WHOLE, what, 1, stores, pass);
			expect(dmabuf_detach(ctx, attachment), "dmabuf_detach");
			expect(dmabuf_put(ctx, buffer), "dmabuf_put");
			expect(dmabuf_deinit(ctx), "dmabuf_deinit");
		}
	}
}

static uint64_t fence_storage[512];
static uint64_t queue_storage[64];

static void bench_fence_queue(void)
{
	struct dmabuf_fence_pool *pool;
	expect(dmabuf_fence_pool_init(&pool, fence_storage, sizeof(fence_storage), 8), "fence pool");
	uint32_t context = dmabuf_fence_context_alloc(pool);
	for (int on = 0; on < 2; on++) {
		dmabuf_fence_t fence;
		expect(dmabuf_fence_create(pool, context, (uint32_t)on + 1u, &fence), "dmabuf_fence_create");
		MEASURE(on, "fence/signal", err = dmabuf_fence_signal(pool, fence));
		expect(dmabuf_fence_put(pool, fence), "dmabuf_fence_put");
	}
	expect(dmabuf_fence_pool_deinit(pool), "fence pool deinit");

	const dmabuf_handle_t buffers[3] = { 1, 2, 3 };
	struct dmabuf_queue *queue;
	expect(dmabuf_queue_init(&queue, queue_storage, sizeof(queue_storage), buffers, 3, DMABUF_QUEUE_LATEST),
	       "dmabuf_queue_init");
	for (int on = 0; on < 2; on++) {
		struct dmabuf_queue_frame frame;
		MEASURE(on, "queue/dequeue", err = dmabuf_queue_dequeue(queue, 0, &frame));
		MEASURE(on, "queue/enqueue", err = dmabuf_queue_enqueue(queue, frame.index, 1));
		MEASURE(on, "queue/acquire", err = dmabuf_queue_acquire(queue, 0, &frame));
		MEASURE(on, "queue/release", err = dmabuf_queue_release(queue, frame.index));
	}
	expect(dmabuf_queue_deinit(queue), "dmabuf_queue_deinit");
}

/*
 * Allocation worst case over the host benchmark's traces
 * (tests/bench/native/bench_fixture.c), on the target board's first (cached)
 * region (the fragmenting trace's API run: over all regions' capacity, as
 * before), every allocation and free measured; the stage keeps the largest
 * count of each name:
 *
 *   alloc/...           the fragmenting trace (frames among log-uniform
 *                       small buffers, 3/4 of all regions live at most);
 *   alloc-pipeline/...  the pipeline trace (2 to 4 long-lived frames among
 *                       churning small buffers, under 40 % load);
 *   alloc-loaded/...    the loaded pipeline trace (frames sized so the
 *                       region is 80 to 95 % full at peaks).
 *
 *   .../export, .../put             the whole API call (handle, bookkeeping,
 *                                   placement, heap);
 *   .../heap-alloc, .../heap-free   dmabuf_heap_alloc / dmabuf_heap_free
 *                                   alone, called on the context's heap
 *                                   (issue 18's 400-instruction bound is
 *                                   about these).
 */
#define TRACE_STEPS 20000u
#define PIPELINE_STEPS 50000u
static struct bench_trace trace;
static dmabuf_handle_t trace_handles[BENCH_TRACE_MAX_LIVE];
static uint16_t trace_blocks[BENCH_TRACE_MAX_LIVE];
static uint64_t trace_storage[16384];

struct alloc_run {
	void (*init)(struct bench_trace *trace, uint32_t seed, uint32_t capacity);
	bool first_region_only; /* the trace's capacity: the first region, or all */
	bool heap_only;         /* measure the heap calls, not the API calls */
	unsigned steps;
	const char *alloc_name, *free_name, *refused_name;
};

static const struct alloc_run alloc_runs[] = {
	{ bench_trace_init, false, false, TRACE_STEPS, "alloc/export", "alloc/put", "trace-refused" },
	{ bench_trace_init, true, true, TRACE_STEPS, "alloc/heap-alloc", "alloc/heap-free", "trace-heap-refused" },
	{ bench_trace_init_pipeline, true, false, PIPELINE_STEPS, "alloc-pipeline/export", "alloc-pipeline/put",
	  "pipeline-refused" },
	{ bench_trace_init_pipeline, true, true, PIPELINE_STEPS, "alloc-pipeline/heap-alloc",
	  "alloc-pipeline/heap-free", "pipeline-heap-refused" },
	{ bench_trace_init_loaded, true, false, PIPELINE_STEPS, "alloc-loaded/export", "alloc-loaded/put",
	  "loaded-refused" },
	{ bench_trace_init_loaded, true, true, PIPELINE_STEPS, "alloc-loaded/heap-alloc", "alloc-loaded/heap-free",
	  "loaded-heap-refused" },
};

/* Allocate @op through the API or the heap alone, measured; false if refused. */
static bool trace_alloc(struct dmabuf_ctx *ctx, const struct alloc_run *run, const struct bench_trace_op *op)
{
	/* operands ready before the count starts, one measured span per branch */
	int err = 0;
	uint32_t size = op->size;
	if (run->heap_only) {
		uint32_t granules = ((size - 1u) >> ctx->heap.regions[0].line_shift) + 1u;
		uint16_t block;
		bench_begin();
		block = dmabuf_heap_alloc(&ctx->heap, 0, granules, (uint16_t)op->slot);
		bench_end();
		trace_blocks[op->slot] = block;
		err = block == DMABUF_SLOT_NONE ? DMABUF_ENOMEM : 0;
	} else {
		dmabuf_handle_t *handle = &trace_handles[op->slot];
		bench_begin();
		err = dmabuf_export(ctx, size, "trace", 0, handle);
		bench_end();
	}
	name_measured(run->alloc_name);
	if (err != DMABUF_ENOMEM)
		expect(err, "dmabuf_export (trace)");
	return err == 0;
}

static void trace_free(struct dmabuf_ctx *ctx, const struct alloc_run *run, uint32_t slot)
{
	int err = 0;
	/* one measured span per branch: the test stays outside the count */
	if (run->heap_only) {
		bench_begin();
		dmabuf_heap_free(&ctx->heap, trace_blocks[slot]);
		bench_end();
	} else {
		bench_begin();
		err = dmabuf_put(ctx, trace_handles[slot]);
		bench_end();
	}
	name_measured(run->free_name);
	expect(err, "dmabuf_put (trace)");
}

static void bench_alloc_trace(const struct alloc_run *run)
{
	const struct dmabuf_config config = {
		.board = &BENCH_BOARD,
		.region_memory = region_memory,
		.cache = BENCH_CACHE,
		.cache_priv = (void *)&BENCH_BOARD,
		.max_buffers = BENCH_TRACE_MAX_LIVE,
	};
	static bool live[BENCH_TRACE_MAX_LIVE];
	memset(live, 0, sizeof(live));
	struct dmabuf_ctx *ctx = NULL;
	expect(dmabuf_init(&ctx, trace_storage, sizeof(trace_storage), &config), "dmabuf_init (trace)");
	struct dmabuf_heap_stats stats;
	dmabuf_heap_stats(ctx, &stats);
	run->init(&trace, BENCH_TRACE_SEED, run->first_region_only ? BENCH_BOARD.regions[0].size : stats.capacity);
	unsigned refused = 0;
	for (unsigned step = 0; step < run->steps; step++) {
		struct bench_trace_op op;
		bench_trace_next(&trace, &op);
		if (op.kind == BENCH_TRACE_ALLOC) {
			live[op.slot] = trace_alloc(ctx, run, &op);
			refused += !live[op.slot];
		} else if (live[op.slot]) {
			trace_free(ctx, run, op.slot);
			live[op.slot] = false;
		}
	}
	printf("bench-info %s %u\n", run->refused_name, refused);
	for (uint32_t slot = 0; slot < BENCH_TRACE_MAX_LIVE; slot++) {
		if (!live[slot])
			continue;
		if (run->heap_only)
			dmabuf_heap_free(&ctx->heap, trace_blocks[slot]);
		else
			expect(dmabuf_put(ctx, trace_handles[slot]), "dmabuf_put (trace)");
	}
	expect(dmabuf_deinit(ctx), "dmabuf_deinit (trace)");
}

/* One frame of each pipeline's CPU side (pipeline_frame.c), as on the board
 * (shipped threshold), without the drawing kernels. */
static uint8_t picture[FRAME_BYTES(800, 480)];

static void bench_pipeline(void)
{
	for (size_t f = 0; f < 2; f++) {
		struct dmabuf_ctx *ctx = open_ctx(BENCH_BOARD.whole_cache_threshold);
		dmabuf_handle_t camera, framebuffer, attachment;
		uint32_t bytes = frames[f].bytes;
		expect(dmabuf_export(ctx, bytes, "camera", 0, &camera), "dmabuf_export");
		expect(dmabuf_export(ctx, bytes, "framebuffer", 0, &framebuffer), "dmabuf_export");
		expect(dmabuf_attach(ctx, camera, 0, &attachment), "dmabuf_attach");
		char name[48];
		for (int on = 0; on < 2; on++) {
			struct dmabuf_mapping mapping;
			expect(dmabuf_map(ctx, attachment, DMABUF_FROM_DEVICE, &mapping), "dmabuf_map");
			expect(dmabuf_unmap(ctx, attachment, &mapping, DMABUF_FROM_DEVICE), "dmabuf_unmap");
			snprintf(name, sizeof(name), "memcpy/%s", frames[f].name);
			MEASURE(on, name, (memcpy(picture, region_memory[0], bytes), err = 0));
			snprintf(name, sizeof(name), "pipeline/copy/%s", frames[f].name);
			MEASURE(on, name, err = pipeline_copy_frame(ctx, camera, framebuffer, picture, bytes));
			expect(dmabuf_map(ctx, attachment, DMABUF_FROM_DEVICE, &mapping), "dmabuf_map");
			expect(dmabuf_unmap(ctx, attachment, &mapping, DMABUF_FROM_DEVICE), "dmabuf_unmap");
			snprintf(name, sizeof(name), "pipeline/zero-copy/%s", frames[f].name);
			MEASURE(on, name, err = pipeline_zero_copy_frame(ctx, camera));
		}
		expect(dmabuf_detach(ctx, attachment), "dmabuf_detach");
		expect(dmabuf_put(ctx, framebuffer), "dmabuf_put");
		expect(dmabuf_put(ctx, camera), "dmabuf_put");
		expect(dmabuf_deinit(ctx), "dmabuf_deinit");
	}
}

/*
 * The frame-drawing kernels over a whole 320x240 frame (text: one line of
 * 26 characters at scale 2), each twice: the kernel alone on the CPU
 * pointers of an open access ("frames/kernel/NAME"), and the frame operation
 * that opens and ends its own access around it ("frames/op/NAME", shipped
 * threshold: a whole-frame access is a whole-cache pass on mps2). The
 * destination bytes each writes ("bench-info bytes/frames/NAME") give the
 * stage its per-byte figures and their ratio to memcpy per byte.
 */
#define KW 320u
#define KH 240u

struct frame_case {
	const char *name;
	uint32_t src_format, dst_format; /* src_format 0: no source frame */
};

static const struct frame_case frame_cases[] = {
	{ "fill", 0, DMABUF_PIXEL_RGB565_LE },
	{ "darken", 0, DMABUF_PIXEL_RGB565_LE },
	{ "blend", 0, DMABUF_PIXEL_RGB565_LE },
	{ "copy/rgb565", DMABUF_PIXEL_RGB565_LE, DMABUF_PIXEL_RGB565_LE },
	{ "copy/rgb565-le-to-be", DMABUF_PIXEL_RGB565_LE, DMABUF_PIXEL_RGB565_BE },
	{ "copy/rgb565-be-to-le", DMABUF_PIXEL_RGB565_BE, DMABUF_PIXEL_RGB565_LE },
	{ "copy/rgb888-to-rgb565", DMABUF_PIXEL_RGB888, DMABUF_PIXEL_RGB565_LE },
	{ "copy/yuyv-to-rgb565", DMABUF_PIXEL_YUYV, DMABUF_PIXEL_RGB565_LE },
	{ "copy/rgb565-to-gray8", DMABUF_PIXEL_RGB565_LE, DMABUF_PIXEL_GRAY8 },
	{ "copy/yuyv-to-gray8", DMABUF_PIXEL_YUYV, DMABUF_PIXEL_GRAY8 },
	{ "text", 0, DMABUF_PIXEL_RGB565_LE },
	{ "sprite", 0, DMABUF_PIXEL_RGB565_LE },
};

static const char bench_text[] = "0123456789ABCDEFGHIJKLMNOP";
#define TEXT_SCALE 2u
#define TEXT_LENGTH (sizeof(bench_text) - 1u)

static struct dmabuf_frame frame_on(dmabuf_handle_t buffer, uint32_t format)
{
	uint32_t bpp = dmabuf_pixel_bytes(format);
	return (struct dmabuf_frame){ buffer, 0, KW, KH, KW * bpp, format };
}

/* The kernel of @c alone, on the CPU pointers @src / @dst. */
static void run_kernel(const struct frame_case *c, const uint8_t *src, uint8_t *dst)
{
	static const uint8_t white[2] = { 0xFF, 0xFF }, magenta[2] = { 0x1F, 0xF8 };
	uint32_t stride = KW * dmabuf_pixel_bytes(c->dst_format);
	if (c->src_format)
		dmabuf_kernel_copy(src, KW * dmabuf_pixel_bytes(c->src_format), c->src_format, 0, dst, stride,
				   c->dst_format, KW, KH);
	else if (!strcmp(c->name, "fill"))
		dmabuf_kernel_fill(dst, stride, KW, KH, white, 2);
	else if (!strcmp(c->name, "darken"))
		dmabuf_kernel_darken(dst, stride, KW, KH, c->dst_format);
	else if (!strcmp(c->name, "blend"))
		dmabuf_kernel_blend(dst, stride, KW, KH, c->dst_format, 0x336699, 128);
	else if (!strcmp(c->name, "text"))
		dmabuf_kernel_text(dst, stride, 2, white, KW, KH, 0, 0, bench_text, TEXT_LENGTH, TEXT_SCALE);
	else
		dmabuf_kernel_sprite(dst, stride, picture, KW * 2u, KW, KH, 2, magenta);
}

/* The frame operation of @c, opening and ending its own access(es). */
static int run_frame_op(struct dmabuf_ctx *ctx, const struct frame_case *c, dmabuf_handle_t src, dmabuf_handle_t dst)
{
	struct dmabuf_frame to = frame_on(dst, c->dst_format);
	if (c->src_format) {
		struct dmabuf_frame from = frame_on(src, c->src_format);
		return dmabuf_frame_copy(ctx, &from, 0, 0, (int32_t)KW, (int32_t)KH, &to, 0, 0);
	}
	if (!strcmp(c->name, "fill"))
		return dmabuf_frame_fill(ctx, &to, 0, 0, (int32_t)KW, (int32_t)KH, 0xFFFFFF);
	if (!strcmp(c->name, "darken"))
		return dmabuf_frame_darken(ctx, &to, 0, 0, (int32_t)KW, (int32_t)KH);
	if (!strcmp(c->name, "blend"))
		return dmabuf_frame_blend(ctx, &to, 0, 0, (int32_t)KW, (int32_t)KH, 0x336699, 128);
	if (!strcmp(c->name, "text"))
		return dmabuf_frame_draw_text(ctx, &to, 0, 0, bench_text, TEXT_LENGTH, 0xFFFFFF, TEXT_SCALE);
	return dmabuf_frame_draw_sprite(ctx, &to, 0, 0, picture, KW * KH * 2u, (int32_t)KW, (int32_t)KH, 0xFF00FF);
}

static uint32_t written_bytes(const struct frame_case *c)
{
	if (!strcmp(c->name, "text"))
		return (uint32_t)((TEXT_LENGTH * DMABUF_FONT_CELL_WIDTH - 1u) * TEXT_SCALE) *
		       (DMABUF_FONT_GLYPH_HEIGHT * TEXT_SCALE) * 2u;
	return KW * KH * dmabuf_pixel_bytes(c->dst_format);
}

__attribute__((noinline)) static void bench_frame_kernels(void)
{
	struct dmabuf_ctx *ctx = open_ctx(BENCH_BOARD.whole_cache_threshold);
	dmabuf_handle_t src, dst;
	expect(dmabuf_export(ctx, KW * KH * 3u, "source", 0, &src), "dmabuf_export");
	expect(dmabuf_export(ctx, KW * KH * 3u, "destination", 0, &dst), "dmabuf_export");
	void *s, *d;
	/* Deterministic, varied pixels: the sprite is half transparent
	 * (magenta) in runs, the source frames a ramp. */
	expect(dmabuf_begin_cpu_access(ctx, src, DMABUF_TO_DEVICE, 0, DMABUF_WHOLE, &s), "dmabuf_begin_cpu_access");
	for (uint32_t i = 0; i < KW * KH * 3u; i++)
		((uint8_t *)s)[i] = (uint8_t)(i * 7u + (i >> 9));
	expect(dmabuf_end_cpu_access(ctx, src, DMABUF_TO_DEVICE, 0, DMABUF_WHOLE), "dmabuf_end_cpu_access");
	for (uint32_t i = 0; i < KW * KH; i++) {
		int clear = (i / 16u) & 1u;
		picture[2u * i] = clear ? 0x1F : (uint8_t)i;
		picture[2u * i + 1u] = clear ? 0xF8 : (uint8_t)(i >> 8);
	}
	char name[64];
	for (size_t k = 0; k < sizeof(frame_cases) / sizeof(frame_cases[0]); k++) {
		const struct frame_case *c = &frame_cases[k];
		printf("bench-info bytes/frames/%s %lu\n", c->name, (unsigned long)written_bytes(c));
		for (int on = 0; on < 2; on++) {
			expect(dmabuf_begin_cpu_access(ctx, src, DMABUF_FROM_DEVICE, 0, DMABUF_WHOLE, &s), "begin");
			expect(dmabuf_begin_cpu_access(ctx, dst, DMABUF_BIDIRECTIONAL, 0, DMABUF_WHOLE, &d), "begin");
			snprintf(name, sizeof(name), "frames/kernel/%s", c->name);
			MEASURE(on, name, (run_kernel(c, s, d), err = 0));
			expect(dmabuf_end_cpu_access(ctx, dst, DMABUF_BIDIRECTIONAL, 0, DMABUF_WHOLE), "end");
			expect(dmabuf_end_cpu_access(ctx, src, DMABUF_FROM_DEVICE, 0, DMABUF_WHOLE), "end");
			snprintf(name, sizeof(name), "frames/op/%s", c->name);
			MEASURE(on, name, err = run_frame_op(ctx, c, src, dst));
		}
	}
	expect(dmabuf_put(ctx, dst), "dmabuf_put");
	expect(dmabuf_put(ctx, src), "dmabuf_put");
	expect(dmabuf_deinit(ctx), "dmabuf_deinit");
}

/*
 * The demo's overlay per frame (pipeline_overlay_draw), through the frames
 * layer ("overlay/zero-copy/FRAME"). Its unavoidable work: the same kernels alone
 * ("overlay/kernels/FRAME") plus one maintenance store per cache line the
 * overlay touches ("bench-info overlay-lines/FRAME"; none on virt).
 *
 * The cache lines the overlay's pixels in @r touch (the frame at @base):
 */
static uint32_t touched_lines(const struct pipeline_rect *r, uintptr_t base, uint32_t stride)
{
	uint32_t lines = 0;
	for (int32_t row = r->y; row < r->y + r->height; row++) {
		uintptr_t first = base + (uint32_t)row * stride + (uint32_t)r->x * 2u;
		uintptr_t last = first + (uint32_t)r->width * 2u - 1u;
		lines += (uint32_t)(last / 32u - first / 32u + 1u);
	}
	return lines;
}

/* The cache lines of the access over @r (the buffer's lines are 32-byte
 * aligned: it starts on a line). */
static long window_lines(const struct dmabuf_frame *frame, const struct pipeline_rect *r)
{
	uint32_t first = (uint32_t)r->y * frame->stride + (uint32_t)r->x * 2u;
	uint32_t last = first + (uint32_t)(r->height - 1) * frame->stride + (uint32_t)r->width * 2u - 1u;
	return (long)(last / 32u - first / 32u + 1u);
}

__attribute__((noinline)) static void bench_overlay(void)
{
	static const uint32_t sizes[2][2] = { { 320, 240 }, { 800, 480 } };
	for (size_t f = 0; f < 2; f++) {
		struct dmabuf_ctx *ctx = open_ctx(BENCH_BOARD.whole_cache_threshold);
		dmabuf_handle_t camera;
		expect(dmabuf_export(ctx, frames[f].bytes, "camera", 0, &camera), "dmabuf_export");
		struct dmabuf_frame frame = { camera, 0, sizes[f][0], sizes[f][1], sizes[f][0] * 2u,
					      DMABUF_PIXEL_RGB565_BE };
		const struct pipeline_overlay overlay = pipeline_overlay_layout(sizes[f][0], sizes[f][1]);
		void *cpu;
		expect(dmabuf_begin_cpu_access(ctx, camera, DMABUF_BIDIRECTIONAL, 0, DMABUF_WHOLE, &cpu), "begin");
		uint32_t lines = STORES_KNOWN ? touched_lines(&overlay.plate, (uintptr_t)cpu, frame.stride) +
						       touched_lines(&overlay.box, (uintptr_t)cpu, frame.stride)
					      : 0;
		printf("bench-info overlay-lines/%s %lu\n", frames[f].name, (unsigned long)lines);
		char name[48];
		for (int on = 0; on < 2; on++) {
			snprintf(name, sizeof(name), "overlay/kernels/%s", frames[f].name);
			MEASURE(on, name, (pipeline_overlay_kernels(cpu, frame.stride, &overlay), err = 0));
		}
		expect(dmabuf_end_cpu_access(ctx, camera, DMABUF_BIDIRECTIONAL, 0, DMABUF_WHOLE), "end");
		for (int on = 0; on < 2; on++) {
			/* each access maintains every line of its byte range once;
			 * the operations inside it add none */
			expected_stores = window_lines(&frame, &overlay.plate) + window_lines(&frame, &overlay.box);
			snprintf(name, sizeof(name), "overlay/zero-copy/%s", frames[f].name);
			MEASURE(on, name, err = pipeline_overlay_draw(ctx, &frame, &overlay));
		}
		expect(dmabuf_put(ctx, camera), "dmabuf_put");
		expect(dmabuf_deinit(ctx), "dmabuf_deinit");
	}
}

#if defined(__arm__)
/* The backend alone, the per-line and per-set/way figures: the stage takes
 * the difference of two lengths, so the call's fixed part cancels. */
static void bench_backend(void)
{
	void *const at = region_memory[0];
	long set_way_ops = (long)(board.dcache_size / 32u);
	/* the board as shipped (clean in pairs where dcache_pou_is_poc), and
	 * without the pairs: clean-poc is what any other board's clean costs */
	struct dmabuf_board poc = board;
	poc.dcache_pou_is_poc = 0;
	static const struct {
		const char *name;
		uint32_t lines;
		uint32_t offset;
	} cleans[] = {
		{ "1-line", 1, 0 },
		{ "1025-lines", 1025, 0 },
		/* the other paths through the loop: no odd line, a short pass
		 * only, a whole pass only, odd + short + whole, an unaligned start */
		{ "2-lines", 2, 0 },
		{ "32-lines", 32, 0 },
		{ "37-lines", 37, 0 },
		{ "13-lines-unaligned", 13, 6 },
	};
	for (size_t i = 0; i < sizeof(cleans) / sizeof(cleans[0]); i++) {
		char name[48];
		void *from = (uint8_t *)at + cleans[i].offset;
		for (int paired = 1; paired >= 0; paired--) {
			if (!paired && cleans[i].lines != 1 && cleans[i].lines != 1025)
				continue;
			const struct dmabuf_board *b = paired ? &board : &poc;
			snprintf(name, sizeof(name), "backend/%s/%s", paired ? "clean" : "clean-poc", cleans[i].name);
			expected_stores = cleans[i].lines;
			expected_regs = REGS_CLEAN(b);
			expected_at = &at;
			MEASURE(1, name,
				err = dmabuf_cache_cortex_m7.clean_range((void *)b, from, cleans[i].lines * 32u, 32));
		}
	}
	expected_stores = 1;
	expected_regs = REGS_INVALIDATE;
	expected_at = &at;
	MEASURE(1, "backend/invalidate/1-line",
		err = dmabuf_cache_cortex_m7.invalidate_range(&board, at, 32, 32));
	expected_stores = 1025;
	expected_regs = REGS_INVALIDATE;
	expected_at = &at;
	MEASURE(1, "backend/invalidate/1025-lines",
		err = dmabuf_cache_cortex_m7.invalidate_range(&board, at, 1025 * 32, 32));
	expected_stores = set_way_ops;
	expected_regs = REGS_CLEAN_ALL;
	MEASURE(1, "backend/clean-all", err = dmabuf_cache_cortex_m7.clean_all(&board));
	expected_stores = set_way_ops;
	expected_regs = REGS_CLEAN_INVALIDATE_ALL;
	MEASURE(1, "backend/clean-invalidate-all", err = dmabuf_cache_cortex_m7.clean_invalidate_all(&board));
}
#endif

/*
 * "bench NAME STORES", and when the registers are stated "REGS FIRST": REGS
 * the offsets in hex, comma-separated; FIRST the first line's address, or
 * "sw:MASK", the bits a set/way word of this D-cache may have (2 way bits on
 * top, the set index above the 32-byte line offset).
 */
static void print_stated(const char *name)
{
	printf("bench %s %ld", name, expected_stores);
	if (expected_regs > 0xFFFu)
		printf(" %lx,%lx", (unsigned long)(expected_regs >> 12), (unsigned long)(expected_regs & 0xFFFu));
	else if (expected_regs)
		printf(" %lx", (unsigned long)expected_regs);
	if (expected_regs && expected_at)
		printf(" 0x%08lx", (unsigned long)(uintptr_t)*expected_at);
	else if (expected_regs)
		printf(" sw:0x%08lx", 0xC0000000ul | (unsigned long)((BENCH_BOARD.dcache_size / (4u * 32u) - 1u) << 5));
	printf("\n");
}

int main(void)
{
	printf("dmabuf target benchmark: %s\n", BENCH_BOARD.name);
	/* What one whole-cache pass issues (the stage divides by it): the
	 * backend's fallback geometry, 4 ways of 32-byte lines. */
	printf("bench-info set-way-ops %lu\n", (unsigned long)(BENCH_BOARD.dcache_size / 32u));
	MEASURE(1, "empty", err = 0);
	bench_ops();
	bench_frames();
	bench_fence_queue();
#if defined(__arm__)
	bench_backend();
#endif
	bench_pipeline();
	bench_frame_kernels();
	bench_overlay();
	for (size_t i = 0; i < sizeof(alloc_runs) / sizeof(alloc_runs[0]); i++)
		bench_alloc_trace(&alloc_runs[i]);
	printf("bench done\n");
	return 0;
}
