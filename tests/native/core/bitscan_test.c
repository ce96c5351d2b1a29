/*
 * The heap's bit scans in their fallback form (native-interop/core/bitscan.h,
 * forced here with DMABUF_BITSCAN_SOFT), the form rv32imac runs, checked on
 * every platform against a plain loop: every single-bit word, every all-ones
 * run from bit 0 and from bit 31, and pseudo-random words spread over all
 * bit positions.
 */
#define DMABUF_BITSCAN_SOFT 1
#include "../../../native-interop/core/bitscan.h"

#include "unit.h"

#define RANDOM_WORDS 4096u

static uint32_t highest_by_loop(uint32_t value)
{
	uint32_t bit = 31u;
	while (!(value >> bit))
		bit--;
	return bit;
}

static uint32_t lowest_by_loop(uint32_t value)
{
	uint32_t bit = 0;
	while (!((value >> bit) & 1u))
		bit++;
	return bit;
}

static void bit_scans_name_every_single_bit(void)
{
	for (uint32_t bit = 0; bit < 32u; bit++) {
		UNIT_EQ(dmabuf_log2_floor(1u << bit), bit);
		UNIT_EQ(dmabuf_lowest_bit(1u << bit), bit);
	}
}

static void bit_scans_see_only_the_end_they_look_for(void)
{
	for (uint32_t bit = 0; bit < 32u; bit++) {
		uint32_t up_from_0 = 0xFFFFFFFFu >> (31u - bit);   /* bits 0..bit */
		uint32_t down_from_31 = 0xFFFFFFFFu << bit;        /* bits bit..31 */
		UNIT_EQ(dmabuf_log2_floor(up_from_0), bit);
		UNIT_EQ(dmabuf_lowest_bit(up_from_0), 0);
		UNIT_EQ(dmabuf_log2_floor(down_from_31), 31);
		UNIT_EQ(dmabuf_lowest_bit(down_from_31), bit);
	}
}

static void bit_scans_agree_with_a_loop_on_random_words(void)
{
	uint32_t state = 0x9E3779B9u; /* xorshift32: the same words on every platform */
	for (uint32_t i = 0; i < RANDOM_WORDS; i++) {
		state ^= state << 13;
		state ^= state >> 17;
		state ^= state << 5;
		/* a uniform word's top bit is almost always 31 or 30 and its low
		 * bit almost always 0 or 1: shift it so every position is taken */
		uint32_t high = state >> (i % 32u), low = state << (i % 32u);
		if (high) {
			UNIT_EQ(dmabuf_log2_floor(high), highest_by_loop(high));
			UNIT_EQ(dmabuf_lowest_bit(high), lowest_by_loop(high));
		}
		if (low) {
			UNIT_EQ(dmabuf_log2_floor(low), highest_by_loop(low));
			UNIT_EQ(dmabuf_lowest_bit(low), lowest_by_loop(low));
		}
	}
}

const struct unit_suite suite_core_bitscan = UNIT_SUITE(core_bitscan,
	UNIT_TEST(bit_scans_name_every_single_bit),
	UNIT_TEST(bit_scans_see_only_the_end_they_look_for),
	UNIT_TEST(bit_scans_agree_with_a_loop_on_random_words));
