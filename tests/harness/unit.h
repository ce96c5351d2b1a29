/*
 * A tiny C test harness that runs unchanged on the host (ctest) and on bare
 * targets under QEMU (firmware/), so the on-target run executes the very same
 * test sources. Output goes through printf only.
 *
 * A test file defines its tests and one suite table:
 *
 *   static void heap_rejects_zero_size(void) { UNIT_EQ(f(0), DMABUF_EINVAL); }
 *   const struct unit_suite suite_heap = UNIT_SUITE(heap,
 *           UNIT_TEST(heap_rejects_zero_size));
 *
 * and the suite is listed once in tests/native/suites.h.
 */
#ifndef UNIT_H
#define UNIT_H

#include <stddef.h>
#include <stdint.h>

struct unit_test {
	const char *name;
	void (*fn)(void);
};

struct unit_suite {
	const char *name;
	const struct unit_test *tests;
	size_t count;
};

#define UNIT_TEST(fn) { #fn, fn }
#define UNIT_SUITE(suite_name, ...)                                                                \
	{ #suite_name, (const struct unit_test[]){ __VA_ARGS__ },                                  \
	  sizeof((const struct unit_test[]){ __VA_ARGS__ }) / sizeof(struct unit_test) }

/* Records a failure of the running test; the macros then return from it. */
void unit_fail(const char *file, int line, const char *what, long long got, long long want);
/* Non-zero once the running test has failed (for helpers that assert). */
int unit_failed(void);

#define UNIT_ASSERT(cond)                                                                          \
	do {                                                                                       \
		if (!(cond)) {                                                                     \
			unit_fail(__FILE__, __LINE__, #cond, 0, 0);                                \
			return;                                                                    \
		}                                                                                  \
	} while (0)

#define UNIT_EQ(got, want)                                                                         \
	do {                                                                                       \
		long long unit_got_ = (long long)(got), unit_want_ = (long long)(want);            \
		if (unit_got_ != unit_want_) {                                                     \
			unit_fail(__FILE__, __LINE__, #got " == " #want, unit_got_, unit_want_);   \
			return;                                                                    \
		}                                                                                  \
	} while (0)

/* Propagate a failure out of a helper function called by a test. */
#define UNIT_CHECK_HELPER()                                                                        \
	do {                                                                                       \
		if (unit_failed())                                                                 \
			return;                                                                    \
	} while (0)

/*
 * Run the suites (all when @only is NULL, else the one named @only).
 * Prints one line per failure, per suite a count, and last the line
 * "N passed, N failed". Returns the number of failed tests.
 */
int unit_run(const struct unit_suite *const *suites, size_t count, const char *only);

#endif /* UNIT_H */
