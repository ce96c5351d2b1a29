/*
 * Cortex-M7 data cache maintenance through the SCB (ARMv7-M ARM §B2.2.7,
 * Cortex-M7 TRM DDI0489 §5 / §4.8 cache maintenance operations).
 *
 * By address: DCCMVAC (clean) and DCIMVAC (invalidate), one write per 32-byte
 * line; where the board declares dcache_pou_is_poc, clean also writes
 * DCCMVAU, two lines per STRD (see by_line_pairs). Whole cache: DCCSW /
 * DCCISW by set and way, geometry from CCSIDR.
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
#define SCB_DCCMVAU (*(volatile uint32_t *)0xE000EF64u)      /* clean by address to PoU */
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

/*
 * One maintenance write to each of two lines, then both move 2 lines on.
 * @pou (a constant; @op is then DCCMVAU, 0xE000EF64): one STRD writes @lo to
 * DCCMVAU and @hi to DCCMVAC (0xE000EF68), the word after it, so a pair
 * costs 2 instructions instead of 3. Invalidate has no such neighbour: after DCIMVAC (0xEF5C)
 * comes DCISW, which would take a line address as a set/way word.
 */
#define LINE_PAIR(pou, op, lo, hi, k)                                                   \
	do {                                                                             \
		if (pou) {                                                               \
			__asm volatile("strd %1, %2, [%0]" ::"r"(op), "r"(lo), "r"(hi)       \
				       : "memory");                                      \
		} else {                                                                 \
			*(op) = (lo);                                                    \
			*(op) = (hi);                                                    \
		}                                                                        \
		ADVANCE_PAIR(lo, hi, k);                                                 \
	} while (0)

#define LINE_PAIRS_4(pou, op, lo, hi, k) \
	LINE_PAIR(pou, op, lo, hi, k);   \
	LINE_PAIR(pou, op, lo, hi, k);   \
	LINE_PAIR(pou, op, lo, hi, k);   \
	LINE_PAIR(pou, op, lo, hi, k)

/* Pairs per pass of the unrolled loop: its count and branch (2 instructions)
 * then cost 2 / 32 per line, on top of the pair's share (1.5, or 1 with
 * STRD). */
#define PAIRS_PER_PASS 16u

/*
 * The per-line loop: one write of the line's address to @op (DCCMVAC or
 * DCIMVAC; with @pou, @op is DCCMVAU and pairs also write DCCMVAC) per
 * hardware line, exactly the
 * lines of [addr, addr + size) (one if size is 0). The step is the hardware
 * line, not the region's: a region line of 64 must still touch both 32-byte
 * halves.
 *
 * A store per line is the bound; each line's address costs half an
 * instruction (UMLAL moves two), and whole passes are unrolled 16 pairs deep:
 * 1.5 + 2/32 instructions per line, against 4 for a str/adds/cmp/bhi loop;
 * 1 + 2/32 when @pou lets one STRD store two lines. An odd line and the pairs
 * short of a whole pass go first, at most 15 pairs at 2.5 (2) per line.
 * @pou is a constant at each call: always_inline makes two loops of it.
 */
static inline __attribute__((always_inline)) int lines(volatile uint32_t *op, void *addr, size_t size,
						      uint32_t line, int pou)
{
	if (line % M7_DCACHE_LINE)
		return DMABUF_EINVAL;
	uint32_t lo = (uint32_t)(uintptr_t)addr;
	size_t count = size ? (size + M7_DCACHE_LINE - 1u) / M7_DCACHE_LINE : 1u;
	dsb();
	if (count & 1u) {
		*op = lo;
		lo += M7_DCACHE_LINE;
	}
	size_t pairs = count / 2u;
	if (pairs) {
		uint32_t hi = lo + M7_DCACHE_LINE, k = 2u * M7_DCACHE_LINE * UMLAL_641;
		/* do-while: -Os then closes each loop with subs / bne alone */
		size_t n = pairs % PAIRS_PER_PASS;
		if (n)
			do
				LINE_PAIR(pou, op, lo, hi, k);
			while (--n);
		n = pairs / PAIRS_PER_PASS;
		if (n)
			do {
				LINE_PAIRS_4(pou, op, lo, hi, k);
				LINE_PAIRS_4(pou, op, lo, hi, k);
				LINE_PAIRS_4(pou, op, lo, hi, k);
				LINE_PAIRS_4(pou, op, lo, hi, k);
			} while (--n);
	}
	dsb();
	isb();
	return 0;
}

/* One store per line through @op: invalidate, and clean on other boards. */
static int by_line(volatile uint32_t *op, void *addr, size_t size, uint32_t line)
{
	return lines(op, addr, size, line, 0);
}

/*
 * Clean, two lines per STRD, half of them through DCCMVAU: only where the
 * board declares dcache_pou_is_poc.
 *
 * Why that is a clean to the PoC there. A clean to the PoU guarantees the
 * line reaches the point where this core's instruction and data sides see
 * the same copy; "if no external cache is present, main memory would be the
 * Point of Unification" (Arm, Cortex-A Series Programmer's Guide for
 * ARMv8-A, DEN0024A §11.4 "Point of coherency and unification"). The
 * Cortex-M7's own cache levels agree: CLIDR reads 0x09000003 with both
 * caches present (ST PM0253 / Arm DUI0646 cache register summary), so LoUU
 * (bits 29:27) = LoC (bits 26:24) = 1: the level-1 data cache is the last
 * level that either operation must clean. What the core cannot know is a
 * cache outside it, on the way to memory: the board states there is none
 * (STM32F76x: the core's AXI master reaches SRAM1/2 and the FMC through the
 * AXI-to-AHB bridge and the bus matrix, RM0410 §2.1, Figure 1). One STRD
 * makes two word stores to the SCB, each a complete maintenance operation;
 * an interrupt that restarts the STRD only cleans a line twice.
 */
static int by_line_pairs(void *addr, size_t size, uint32_t line)
{
	return lines(&SCB_DCCMVAU, addr, size, line, 1);
}

static int clean_range(void *priv, void *addr, size_t size, uint32_t line)
{
	const struct dmabuf_board *board = priv;
	if (board && board->dcache_pou_is_poc)
		return by_line_pairs(addr, size, line);
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
