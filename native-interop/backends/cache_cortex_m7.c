/*
 * Cortex-M7 data cache maintenance through the SCB (ARMv7-M ARM §B2.2.7,
 * Cortex-M7 TRM DDI0489 §5 / §4.8 cache maintenance operations).
 *
 * By address: DCCMVAC (clean) and DCIMVAC (invalidate), one write per 32-byte
 * line. Whole cache: DCCSW / DCCISW by set and way, geometry from CCSIDR.
 *
 * Barriers: a DSB before the loop makes the CPU's earlier stores reach the
 * cache before their lines are cleaned; DSB after waits until the maintenance
 * is complete (the device may be started right after we return), and ISB
 * keeps later instructions from running ahead of it.
 *
 * @priv: the board (const struct dmabuf_board *). Its dcache_size is the
 * fallback geometry when CCSIDR reads 0, as on QEMU, which accepts the
 * maintenance writes but models no cache; may be NULL when CCSIDR is real.
 */
#if defined(DMABUF_BACKEND_CORTEX_M7)

#include <stdint.h>

#include "dmabuf/board.h"
#include "dmabuf/cache.h"
#include "dmabuf/errors.h"

#define SCB_CCSIDR (*(volatile const uint32_t *)0xE000ED80u) /* cache size ID */
#define SCB_CSSELR (*(volatile uint32_t *)0xE000ED84u)       /* cache size selection */
#define SCB_DCIMVAC (*(volatile uint32_t *)0xE000EF5Cu)      /* invalidate by address */
#define SCB_DCCMVAC (*(volatile uint32_t *)0xE000EF68u)      /* clean by address */
#define SCB_DCCSW (*(volatile uint32_t *)0xE000EF6Cu)        /* clean by set/way */
#define SCB_DCCISW (*(volatile uint32_t *)0xE000EF74u)       /* clean+invalidate by set/way */

/* Fixed by the core, whatever the cache size (TRM §5). Regions may use a
 * larger line (a multiple), never a smaller one. */
#define M7_DCACHE_LINE 32u
#define M7_DCACHE_WAYS 4u

static inline void dsb(void)
{
	__asm volatile("dsb 0xF" ::: "memory");
}

static inline void isb(void)
{
	__asm volatile("isb 0xF" ::: "memory");
}

/*
 * Two line addresses advance in one instruction: UMLAL adds a 64-bit product
 * to a register pair, and 2^32 + 1 = 641 * 6700417, so the product
 * (step * 641) * 6700417 adds @step to both halves. No carry crosses from the
 * low half: it would need an address within @step of 2^32, past every range
 * (the next store would need an address below the range's end).
 */
#define UMLAL_641 641u
#define UMLAL_6700417 6700417u
#define ADVANCE_PAIR(lo, hi, k) \
	__asm("umlal %0, %1, %2, %3" : "+r"(lo), "+r"(hi) : "r"(k), "r"(UMLAL_6700417))

/* One maintenance write to each of two lines, then both move 2 lines on. */
#define LINE_PAIR(op, lo, hi, k)  \
	do {                      \
		*(op) = (lo);     \
		*(op) = (hi);     \
		ADVANCE_PAIR(lo, hi, k); \
	} while (0)

#define LINE_PAIRS_4(op, lo, hi, k) \
	LINE_PAIR(op, lo, hi, k);   \
	LINE_PAIR(op, lo, hi, k);   \
	LINE_PAIR(op, lo, hi, k);   \
	LINE_PAIR(op, lo, hi, k)

/* Pairs per pass of the unrolled loop: its count and branch (2 instructions)
 * then cost 2 / 32 per line, on top of the store and half an UMLAL. */
#define PAIRS_PER_PASS 16u

/*
 * The per-line loop: one write of the line's address to @op (DCCMVAC or
 * DCIMVAC) per hardware line, exactly the lines of [addr, addr + size) (one
 * if size is 0). The step is the hardware line, not the region's: a region
 * line of 64 must still touch both 32-byte halves.
 *
 * A store per line is the bound; each line's address costs half an
 * instruction (UMLAL moves two), and whole passes are unrolled 16 pairs deep:
 * 1.5 + 2/32 instructions per line, against 4 for a str/adds/cmp/bhi loop.
 * An odd line and the pairs short of a whole pass go first, at most 15 pairs
 * at 2.5 per line.
 */
static int by_line(volatile uint32_t *op, void *addr, size_t size, uint32_t line)
{
	if (line % M7_DCACHE_LINE)
		return DMABUF_EINVAL;
	uint32_t lo = (uint32_t)(uintptr_t)addr;
	size_t lines = size ? (size + M7_DCACHE_LINE - 1u) / M7_DCACHE_LINE : 1u;
	dsb();
	if (lines & 1u) {
		*op = lo;
		lo += M7_DCACHE_LINE;
	}
	size_t pairs = lines / 2u;
	if (pairs) {
		uint32_t hi = lo + M7_DCACHE_LINE, k = 2u * M7_DCACHE_LINE * UMLAL_641;
		/* do-while: -Os then closes each loop with subs / bne alone */
		size_t n = pairs % PAIRS_PER_PASS;
		if (n)
			do
				LINE_PAIR(op, lo, hi, k);
			while (--n);
		n = pairs / PAIRS_PER_PASS;
		if (n)
			do {
				LINE_PAIRS_4(op, lo, hi, k);
				LINE_PAIRS_4(op, lo, hi, k);
				LINE_PAIRS_4(op, lo, hi, k);
				LINE_PAIRS_4(op, lo, hi, k);
			} while (--n);
	}
	dsb();
	isb();
	return 0;
}

static int clean_range(void *priv, void *addr, size_t size, uint32_t line)
{
	(void)priv;
	return by_line(&SCB_DCCMVAC, addr, size, line);
}

static int invalidate_range(void *priv, void *addr, size_t size, uint32_t line)
{
	(void)priv;
	return by_line(&SCB_DCIMVAC, addr, size, line);
}

struct geometry {
	uint32_t sets;
	uint32_t ways;
	uint32_t line_shift; /* log2(line bytes): where the set index starts */
};

/* Level 1 data cache geometry: CCSIDR after CSSELR selects L1 D (0), else the
 * board's dcache_size with the core's fixed line and ways. */
static int dcache_geometry(const void *priv, struct geometry *g)
{
	SCB_CSSELR = 0;
	dsb();
	uint32_t ccsidr = SCB_CCSIDR;
	if (ccsidr) {
		g->sets = ((ccsidr >> 13) & 0x7FFFu) + 1;
		g->ways = ((ccsidr >> 3) & 0x3FFu) + 1;
		g->line_shift = (ccsidr & 0x7u) + 4; /* LineSize = log2(words) - 2 */
		return 0;
	}
	const struct dmabuf_board *board = priv;
	if (!board || !board->dcache_size)
		return DMABUF_ENOTSUP;
	g->ways = M7_DCACHE_WAYS;
	g->sets = board->dcache_size / (M7_DCACHE_WAYS * M7_DCACHE_LINE);
	g->line_shift = 5;
	return 0;
}

/* All ways of one set, then the four addresses move to the next set. The
 * way index sits in the top 2 bits of the set/way word (4 ways). */
#define ONE_SET(op, w0, w1, w2, w3, k) \
	do {                           \
		*(op) = (w0);          \
		*(op) = (w1);          \
		*(op) = (w2);          \
		*(op) = (w3);          \
		ADVANCE_PAIR(w0, w1, k); \
		ADVANCE_PAIR(w2, w3, k); \
	} while (0)

/* Sets per pass of the unrolled set loop: 4 stores + 2 UMLAL per set, and
 * the pass's count and branch over 16 operations: 1.625 per operation. */
#define SETS_PER_PASS 4u

/*
 * Every set and way of the level 1 D-cache through @op (DCCSW or DCCISW).
 * The Cortex-M7 D-cache is 4-way whatever its size (TRM §5): a geometry
 * saying otherwise is not this core's, and nothing is written.
 */
static int set_way_all(const void *priv, volatile uint32_t *op)
{
	struct geometry g;
	int err = dcache_geometry(priv, &g);
	if (err)
		return err;
	if (g.ways != M7_DCACHE_WAYS || !g.sets)
		return DMABUF_ENOTSUP;
	uint32_t w0 = 0, w1 = 1u << 30, w2 = 2u << 30, w3 = 3u << 30;
	uint32_t k = (1u << g.line_shift) * UMLAL_641;
	dsb();
	uint32_t n = g.sets % SETS_PER_PASS;
	if (n)
		do
			ONE_SET(op, w0, w1, w2, w3, k);
		while (--n);
	n = g.sets / SETS_PER_PASS;
	if (n)
		do {
			ONE_SET(op, w0, w1, w2, w3, k);
			ONE_SET(op, w0, w1, w2, w3, k);
			ONE_SET(op, w0, w1, w2, w3, k);
			ONE_SET(op, w0, w1, w2, w3, k);
		} while (--n);
	dsb();
	isb();
	return 0;
}

static int clean_all(void *priv)
{
	return set_way_all(priv, &SCB_DCCSW);
}

static int clean_invalidate_all(void *priv)
{
	return set_way_all(priv, &SCB_DCCISW);
}

const struct dmabuf_cache_ops dmabuf_cache_cortex_m7 = {
	.clean_range = clean_range,
	.invalidate_range = invalidate_range,
	.clean_all = clean_all,
	.clean_invalidate_all = clean_invalidate_all,
};

#endif /* DMABUF_BACKEND_CORTEX_M7 */
