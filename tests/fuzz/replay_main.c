/*
 * Corpus replay: feeds every file of the given files and directories to the
 * fuzzer's LLVMFuzzerTestOneInput, so the committed corpus (and any crash
 * input) runs as an ordinary host test with gcc, no libFuzzer needed.
 * A divergence fails that input and the replay goes on with the next.
 * Ends with "N passed, N failed" (one per input); exits non-zero on a failure.
 */
#define _DEFAULT_SOURCE /* DT_DIR */
#include <dirent.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "api_sequence_fuzzer.h"

static jmp_buf diverged;

static void fail_input(void)
{
	longjmp(diverged, 1);
}

static unsigned passed, failed;

static void replay_file(const char *path)
{
	FILE *file = fopen(path, "rb");
	if (!file) {
		printf("FAIL %s: cannot open\n", path);
		failed++;
		return;
	}
	static uint8_t data[1 << 20];
	size_t size = fread(data, 1, sizeof(data), file);
	fclose(file);
	if (setjmp(diverged) == 0) {
		LLVMFuzzerTestOneInput(data, size);
		passed++;
	} else {
		printf("FAIL %s\n", path);
		failed++;
	}
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Every regular file of @dir, in name order (the same order on every machine). */
static void replay_dir(const char *dir)
{
	DIR *d = opendir(dir);
	if (!d) {
		printf("FAIL %s: cannot open\n", dir);
		failed++;
		return;
	}
	char **names = NULL;
	size_t count = 0;
	for (struct dirent *e; (e = readdir(d));) {
		if (e->d_name[0] == '.')
			continue;
		names = realloc(names, (count + 1) * sizeof(*names));
		names[count] = malloc(strlen(dir) + strlen(e->d_name) + 2);
		sprintf(names[count], "%s/%s", dir, e->d_name);
		count++;
	}
	closedir(d);
	qsort(names, count, sizeof(*names), by_name);
	for (size_t i = 0; i < count; i++) {
		replay_file(names[i]);
		free(names[i]);
	}
	free(names);
}

int main(int argc, char **argv)
{
	fuzz_divergence_hook = fail_input;
	for (int i = 1; i < argc; i++) {
		struct stat st;
		if (stat(argv[i], &st) == 0 && S_ISDIR(st.st_mode))
			replay_dir(argv[i]);
		else
			replay_file(argv[i]);
	}
	printf("%llu calls checked against the model\n", (unsigned long long)fuzz_calls_checked);
	printf("%u passed, %u failed\n", passed, failed);
	return failed ? 1 : 0;
}
