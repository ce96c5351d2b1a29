/*
 * Bit scans for the heap's class index: the index of the lowest and of the
 * highest set bit of a non-zero word.
 *
 * Where the ISA counts leading zeros (Cortex-M3 and up, RISC-V with Zbb,
 * x86) the compiler builtins are one or two instructions. Where it does not
 * (rv32imac, Cortex-M0/M0+) the builtins become libgcc calls (__clzsi2,
 * __ctzsi2) that cost several times the inline fallback below, five times on
 * every alloc: the trap is that the builtin looks free in C. The fallback is
 * inline and branch-free: the lowest bit by isolating it and a de Bruijn
 * multiply (those ISAs have a multiplier), the highest by narrowing to a byte
 * and a 256-entry table.
 *
 * The choice is made at compile time, so the targets with the instruction
 * build exactly the code they always did. Defining DMABUF_BITSCAN_SOFT before
 * including this header forces the fallback: tests/native/core/bitscan_test.c
 * does, so the fallback is checked on the host and on every target.
 */
#ifndef DMABUF_BITSCAN_H
#define DMABUF_BITSCAN_H

#include <stdint.h>

#if defined(DMABUF_BITSCAN_SOFT) || (defined(__riscv) && !defined(__riscv_zbb)) ||               \
	(defined(__arm__) && !defined(__ARM_FEATURE_CLZ))

/* Forced inline: at -Os GCC makes the fallback one out-of-line function
 * (five callers), and a call is what the fallback exists to avoid. */
#define DMABUF_BITSCAN_INLINE static inline __attribute__((always_inline))

/* value != 0: two steps narrow the word to its highest non-zero byte (a
 * compare and a shift each), a 256-entry table names the byte's top bit: 15
 * instructions on rv32imac. Smearing the top bit down (ten instructions) and
 * reusing the de Bruijn multiply costs 21; on stage 67's worst alloc that
 * was 461 instructions against 425 with the table. */
DMABUF_BITSCAN_INLINE uint32_t dmabuf_log2_floor(uint32_t value)
{
#define DMABUF_BITSCAN_16(n) n, n, n, n, n, n, n, n, n, n, n, n, n, n, n, n
	static const uint8_t top_of_byte[256] = {
		0, 0, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 3, 3, 3, 3,
		DMABUF_BITSCAN_16(4), DMABUF_BITSCAN_16(5), DMABUF_BITSCAN_16(5),
		DMABUF_BITSCAN_16(6), DMABUF_BITSCAN_16(6), DMABUF_BITSCAN_16(6), DMABUF_BITSCAN_16(6),
		DMABUF_BITSCAN_16(7), DMABUF_BITSCAN_16(7), DMABUF_BITSCAN_16(7), DMABUF_BITSCAN_16(7),
		DMABUF_BITSCAN_16(7), DMABUF_BITSCAN_16(7), DMABUF_BITSCAN_16(7), DMABUF_BITSCAN_16(7),
	};
#undef DMABUF_BITSCAN_16
	uint32_t half = (uint32_t)(value > 0xFFFFu) << 4;
	value >>= half;
	uint32_t byte = (uint32_t)(value > 0xFFu) << 3;
	return half + byte + top_of_byte[value >> byte];
}

/* value != 0: two's complement keeps only the lowest set bit; multiplying
 * that by the de Bruijn sequence 0x077CB531 shifts a distinct 5-bit pattern
 * into the top bits for each of the 32 positions, the table inverts it. */
DMABUF_BITSCAN_INLINE uint32_t dmabuf_lowest_bit(uint32_t value)
{
	static const uint8_t position[32] = {
		0, 1, 28, 2, 29, 14, 24, 3, 30, 22, 20, 15, 25, 17, 4, 8,
		31, 27, 13, 23, 21, 19, 16, 7, 26, 12, 18, 6, 11, 5, 10, 9,
	};
	return position[((value & (0u - value)) * 0x077CB531u) >> 27];
}

#else

/* value != 0 */
static inline uint32_t dmabuf_log2_floor(uint32_t value)
{
	return 31u - (uint32_t)__builtin_clz(value);
}

/* value != 0 */
static inline uint32_t dmabuf_lowest_bit(uint32_t value)
{
	return (uint32_t)__builtin_ctz(value);
}

#endif

#endif
