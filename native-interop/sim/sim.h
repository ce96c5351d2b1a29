/*
 * The host simulator: a simulated SoC with bus memory, a write-back data cache
 * model and DMA engines on virtual time, so that a missing or misplaced cache
 * hand-over shows up as wrong bytes in a host test, as it would on hardware.
 * Host only (it allocates with malloc); nothing here runs on a target.
 *
 * DOC: the cache model
 *
 * For each cacheable board region the simulator keeps three byte arrays:
 *   bus      what DMA masters see (memory);
 *   view     what the CPU sees: sim_region_memory() hands it to dmabuf_init as
 *            the region's CPU address, and the CPU reads and writes it through
 *            plain pointers;
 *   fetched  per line, the bytes the line held when it was last filled from or
 *            written back to memory.
 * A line is DIRTY iff its view differs from its fetched bytes: the CPU writes
 * through raw pointers, so dirtiness is found by comparison, with no access
 * interception. Per line:
 *   clean (C2M)       if dirty: bus = view; then fetched = view.
 *   invalidate (M2C)  view = fetched = bus. Dirty data is LOST (destructive,
 *                     like the hardware instruction).
 *   evict             clean, then refill: view = fetched = bus. A refill is
 *                     what a speculative or capacity refetch does on hardware.
 * A clean line that is never evicted keeps showing the bytes it held before a
 * DMA write: exactly the stale-read bug a missing invalidate causes.
 * Uncached regions have no model: their view IS their bus memory.
 *
 * Evictions happen
 *   - at seeded-random moments: sim_evict_random() evicts each cacheable line
 *     with the probability set by sim_set_eviction_rate(), and every DMA
 *     segment is followed by such a round (sim_dma_*);
 *   - on demand: sim_evict_all();
 *   - when the dirty lines exceed the board's dcache_size: the lines dirtied
 *     earliest are evicted until the dirty bytes fit (ties: lowest address
 *     first). Oldest-dirtied is deterministic and needs no random draw, so a
 *     schedule depends only on the seed and the sequence of calls.
 * The simulator notices CPU writes only when it "observes" the views, which
 * it does at every eviction round (sim_evict_random, each DMA segment),
 * sim_evict_all, the whole-cache operations and sim_dirty_lines; "dirtied
 * earliest" means first observed dirty earliest, and the capacity is enforced
 * there. Range clean / invalidate do not observe: each line's own compare is
 * exact, and so they cost their lines only.
 *
 * Costs: memory is three copies of every cacheable region (bus, view,
 * fetched) plus 8 bytes a line; an observation compares every cacheable
 * line (some ms for a board with tens of MiB of cacheable PSRAM), a range
 * operation only its lines.
 *
 * The one leniency of comparison-based dirtiness: a CPU write that stores the
 * byte a line already held leaves the line clean, where hardware would mark it
 * dirty and later write back the whole line, stale neighbours included. Tests
 * write pseudo-random frames, for which this never hides a write.
 *
 * Same seed, same calls => same evictions, same bytes. The PRNG is splitmix64.
 *
 * Threading: none. A simulator and everything attached to it is used from one
 * thread; DMA completion callbacks run inside sim_advance()/sim_run_*().
 */
#ifndef DMABUF_SIM_H
#define DMABUF_SIM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "dmabuf/board.h"
#include "dmabuf/cache.h"
#include "dmabuf/dmabuf.h"

#ifdef __cplusplus
extern "C" {
#endif

struct sim_soc;

/* ---- the simulated SoC -------------------------------------------------- */

/*
 * Build a simulated SoC for @board: bus memory for every region, a cache model
 * for the cacheable ones. All memory starts with pseudo-random bytes derived
 * from @seed (so stale data never looks like a frame by accident), and the
 * cache starts clean (view == fetched == bus). The eviction rate starts at 0.
 * @board must outlive the simulator.
 * @retval 0 and *out set; -EINVAL bad board (no region, a region size or base
 *         not a multiple of its power-of-two line, overlapping bus ranges, a
 *         cacheable region on a board with dcache_size 0); -ENOMEM.
 */
int sim_create(const struct dmabuf_board *board, uint64_t seed, struct sim_soc **out);

/* Free the simulator, its engines and memory. NULL is a no-op. */
void sim_destroy(struct sim_soc *soc);

const struct dmabuf_board *sim_board(const struct sim_soc *soc);

/* The CPU address of each board region (board->region_count entries), to pass
 * as dmabuf_config.region_memory. Each is aligned to its region's line. */
void *const *sim_region_memory(const struct sim_soc *soc);

/* The bus memory behind [addr, addr + length) as a DMA master sees it, or NULL
 * if the range is empty, wraps, or is not inside one region. */
uint8_t *sim_bus(struct sim_soc *soc, dmabuf_addr_t addr, uint32_t length);

/* ---- the cache model ------------------------------------------------------ */

/*
 * Clean / invalidate the lines of [cpu, cpu + size), by CPU address.
 * @retval 0; -EINVAL @cpu or @size not a multiple of the region's line, size 0,
 *         or the range not inside one CACHEABLE region's view (nothing done).
 */
int sim_cache_clean(struct sim_soc *soc, const void *cpu, size_t size);
int sim_cache_invalidate(struct sim_soc *soc, const void *cpu, size_t size);

/* Whole cache: every line of every cacheable region. */
void sim_cache_clean_all(struct sim_soc *soc);
void sim_cache_clean_invalidate_all(struct sim_soc *soc);

/*
 * The check every backend call must pass: [cpu, cpu + size) is whole lines of
 * one cacheable region whose line is @line bytes.
 * @retval 0; -EINVAL with *rule (when @rule is not NULL) naming the failed
 *         check ("size 0", "outside every cacheable region", ...).
 */
int sim_cache_check(const struct sim_soc *soc, const void *cpu, size_t size, uint32_t line,
		    const char **rule);

/* Probability in [0, 1] that a random eviction round evicts a given line,
 * kept to 1/65536 (0 never, 1.0 always). Out-of-range values are clamped. */
void sim_set_eviction_rate(struct sim_soc *soc, double rate);

/* Restart the eviction PRNG from @seed (memory contents are kept). */
void sim_seed(struct sim_soc *soc, uint64_t seed);

/* One random eviction round over every cacheable line. */
void sim_evict_random(struct sim_soc *soc);

/* Evict every cacheable line (dirty ones are written back). */
void sim_evict_all(struct sim_soc *soc);

/*
 * DOC: residency
 *
 * Off by default. sim_residency_enable() adds tags: which lines the data
 * cache holds, dcache_size bytes in @ways-way sets of @line-byte lines,
 * indexed by bus address, least recently used way replaced. The CPU's
 * accesses are not intercepted: a test states them with sim_cache_touch(),
 * which counts a miss as a refill (stats.refills). Invalidate (by range or
 * whole cache) and eviction drop lines from the tags; clean keeps them. With
 * this a test measures what a maintenance costs code beside the pipeline in
 * refills; the coherence model above is unchanged by it.
 * @retval 0; -EINVAL already on, or a geometry not dividing dcache_size;
 *         -ENOMEM.
 */
int sim_residency_enable(struct sim_soc *soc, uint32_t ways, uint32_t line);

/* A CPU access to the line holding @cpu (a view address in a cacheable
 * region). @retval 1 hit; 0 miss (now resident, one refill counted);
 * -EINVAL tags off or @cpu not in a cacheable region's view. */
int sim_cache_touch(struct sim_soc *soc, const void *cpu);

/* Number of dirty lines now (observes the views first). */
uint32_t sim_dirty_lines(struct sim_soc *soc);

/* What the model did since sim_create (or the last sim_stats_reset). */
struct sim_stats {
	uint64_t evicted_lines;       /* random, evict_all and capacity evictions */
	uint64_t written_back_lines;  /* dirty lines written to memory by eviction or clean */
	uint64_t capacity_evictions;  /* evictions forced by dcache_size */
	uint64_t discarded_dirty_lines; /* dirty lines destroyed by an invalidate */
	uint64_t dma_segments;        /* segments moved by the DMA engines */
	uint64_t refills;             /* misses of sim_cache_touch (residency tags on) */
};
void sim_stats(const struct sim_soc *soc, struct sim_stats *out);
void sim_stats_reset(struct sim_soc *soc);

/* The simulator's PRNG (splitmix64), for tests and peripheral models that need
 * reproducible data: advances *state and returns the next value. */
uint64_t sim_prng_next(uint64_t *state);

/* The calling thread's CPU time in nanoseconds (CLOCK_THREAD_CPUTIME_ID): the
 * clock of sim_cache_backend.model_ns, exported so that a caller measuring
 * its own CPU time reads the very same clock before subtracting it. */
uint64_t sim_thread_cpu_ns(void);

/* What one reading of that clock costs, as an interval between two readings
 * shows it: the median of 101 back-to-back pairs. On a host where the clock is
 * a system call (hundreds of ns) this is not small next to a DmaBuf call. */
uint64_t sim_thread_cpu_read_ns(void);

/* ---- virtual time ----------------------------------------------------------- */

/* Nanoseconds of virtual time since sim_create. */
uint64_t sim_now(const struct sim_soc *soc);

/* Run the DMA engines until virtual time @ns_from_now later: every segment
 * due by then is moved, in time order (ties: engine creation order). */
void sim_advance(struct sim_soc *soc, uint64_t ns_from_now);

/* Same, up to the absolute time @when (nothing if @when is in the past). */
void sim_run_until(struct sim_soc *soc, uint64_t when);

/* Run until no engine has a job (completion callbacks may submit more).
 * @retval the virtual time reached. */
uint64_t sim_run_until_idle(struct sim_soc *soc);

/* ---- DMA engines -------------------------------------------------------------- */

struct sim_dma_engine;

/* Data flow of a job, named from the bus's point of view. */
enum sim_dma_direction {
	SIM_DMA_READ_BUS = 1,  /* memory -> peripheral: display scanout, SPI TX */
	SIM_DMA_WRITE_BUS = 2  /* peripheral -> memory: camera, SPI RX */
};

/*
 * A job: move the segments of @mapping (as dmabuf_map returned it) one by one.
 * Segment data is handed to the callbacks as a pointer into bus memory:
 *   READ_BUS:  @sink(user, offset, data, length) receives the bytes;
 *   WRITE_BUS: @source(user, offset, data, length) must fill them.
 * @offset is the segment's byte offset in the mapping. @complete(user) runs
 * once after the last segment, with the engine already idle (it may submit
 * the next job, or signal a fence as an ISR would). @complete may be NULL.
 */
struct sim_dma_job {
	enum sim_dma_direction direction;
	struct dmabuf_mapping mapping;
	void (*sink)(void *user, uint32_t offset, const uint8_t *data, uint32_t length);
	void (*source)(void *user, uint32_t offset, uint8_t *data, uint32_t length);
	void (*complete)(void *user);
	void *user;
};

/*
 * Add a DMA engine moving @bytes_per_us bytes per microsecond of virtual time.
 * A @coherent engine snoops the CPU cache as a coherent master does: it reads
 * dirty lines from the cache (leaving them dirty: a snoop does not clean), and
 * what it writes reaches both memory and the CPU's view, so it needs no cache
 * maintenance. The engine lives until sim_destroy.
 * @retval 0 and *out set; -EINVAL rate 0; -ENOMEM.
 */
int sim_dma_engine_create(struct sim_soc *soc, uint32_t bytes_per_us, bool coherent,
			  struct sim_dma_engine **out);

/*
 * Start @job now. Segment i is moved when its transfer time has elapsed
 * (segments back to back, ceil(length * 1000 / bytes_per_us) ns each), and
 * each moved segment is followed by a random eviction round.
 * @retval 0; -EBUSY a job is running; -EINVAL bad direction, missing
 *         callback, empty mapping; -EFAULT a segment outside bus memory.
 */
int sim_dma_submit(struct sim_dma_engine *engine, const struct sim_dma_job *job);

bool sim_dma_busy(const struct sim_dma_engine *engine);

/* ---- the cache backend over the model (backends/cache_host_sim.c) ---------- */

/*
 * dmabuf_cache_host_sim drives the model; its priv is a struct
 * sim_cache_backend. Every call is checked: @addr and @size multiples of the
 * line, @line equal to the region's line, the range inside one cacheable
 * region. A call failing the check does nothing, returns -EINVAL and counts a
 * violation (a correct core makes none).
 *
 * Fault injection: sim_cache_drop() makes the backend silently skip
 * operations of one kind (returning 0, as a forgotten instruction would), so a
 * test can remove exactly one hand-over of the core and watch the frame break.
 */
extern const struct dmabuf_cache_ops dmabuf_cache_host_sim;

enum sim_cache_op {
	SIM_CACHE_CLEAN,                /* clean_range */
	SIM_CACHE_INVALIDATE,           /* invalidate_range */
	SIM_CACHE_CLEAN_ALL,            /* clean_all */
	SIM_CACHE_CLEAN_INVALIDATE_ALL, /* clean_invalidate_all */
	SIM_CACHE_OP_KINDS
};

#define SIM_DROP_ALL UINT32_MAX

struct sim_cache_backend {
	struct sim_soc *soc;
	uint32_t calls[SIM_CACHE_OP_KINDS];   /* performed calls */
	uint32_t lines[SIM_CACHE_OP_KINDS];   /* lines of performed range calls */
	uint32_t dropped[SIM_CACHE_OP_KINDS]; /* calls skipped by fault injection */
	uint32_t violations;                  /* calls rejected by the checks */
	/* Thread CPU time (sim_thread_cpu_ns) spent inside this backend's
	 * calls: the simulator's cost of modelling the cache, which says nothing
	 * about the hardware (a whole-cache clean walks every modelled line with
	 * memcmp here, 512 set/way writes on a Cortex-M7). A measurement of
	 * the core's callers subtracts it. Each call reads the clock twice and
	 * the interval holds only one reading's worth of that, so each call also
	 * adds clock_read_ns: the other one. Kept only once timed is set
	 * (sim_cache_backend_time). */
	uint64_t model_ns;
	uint64_t clock_read_ns; /* sim_thread_cpu_read_ns(), when timing started */
	bool timed;
	/* fault injection state, set through sim_cache_drop() */
	uint32_t drop_skip[SIM_CACHE_OP_KINDS];
	uint32_t drop_count[SIM_CACHE_OP_KINDS];
};

/* Bind @backend to @soc with all counters 0 and no fault armed. */
void sim_cache_backend_init(struct sim_cache_backend *backend, struct sim_soc *soc);

/* Start keeping model_ns. Off by default: each timed call reads the thread
 * CPU clock twice, a system call that on some hosts costs more than the
 * DmaBuf call around it (hundreds of ns), so only a measurement that takes the
 * model time out (the demo's, through SimulatedSoc) turns it on. */
void sim_cache_backend_time(struct sim_cache_backend *backend);

/* Zero the counters and model_ns (the armed faults stay). */
void sim_cache_backend_reset_counts(struct sim_cache_backend *backend);

/*
 * Arm a fault: of the next calls of kind @op, let @skip pass, then drop
 * @count (SIM_DROP_ALL: every later one). "Drop the next invalidate" is
 * (SIM_CACHE_INVALIDATE, 0, 1); "drop all cleans" is (SIM_CACHE_CLEAN, 0,
 * SIM_DROP_ALL); count 0 disarms. Only calls that pass the checks count.
 */
void sim_cache_drop(struct sim_cache_backend *backend, enum sim_cache_op op, uint32_t skip,
		    uint32_t count);

#ifdef __cplusplus
}
#endif

#endif /* DMABUF_SIM_H */
