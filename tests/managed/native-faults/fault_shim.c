/*
 * Fault injection for the managed documentation test: this library stands in
 * for libdmabuf_host (same entry points, generated into fault_entries.c) and
 * forwards every call to the real one in its own folder, except the one call
 * armed to fail. Arming is per thread, so finalizers and other threads are
 * never hit.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fault_shim.h"

static _Thread_local char armed[64];
static _Thread_local int32_t armed_error;
static _Thread_local int32_t fired;
static void *real_library;

bool fault_fire(const char *entry)
{
	if (!armed[0] || strcmp(armed, entry) != 0)
		return false;
	armed[0] = '\0';
	fired = 1;
	/* The failure the caller sees is this one: no stale message of an earlier call. */
	char discard[8];
	int32_t (*take)(char *, int32_t) = (int32_t (*)(char *, int32_t))fault_real_symbol("dmabuf_host_take_last_message");
	take(discard, sizeof(discard));
	return true;
}

int32_t fault_error(void)
{
	return armed_error;
}

/* Loaded once, when the runtime loads the shim, before any call. */
__attribute__((constructor)) static void load_real_library(void)
{
	Dl_info self;
	char path[PATH_MAX];
	if (!dladdr((void *)load_real_library, &self) || !self.dli_fname) {
		fprintf(stderr, "fault shim: cannot find its own path\n");
		abort();
	}
	snprintf(path, sizeof(path), "%s", self.dli_fname);
	char *slash = strrchr(path, '/');
	snprintf(slash ? slash + 1 : path, sizeof(path) - (size_t)(slash ? slash + 1 - path : 0), "libdmabuf_host.so");
	real_library = dlopen(path, RTLD_NOW | RTLD_LOCAL);
	if (!real_library) {
		fprintf(stderr, "fault shim: %s\n", dlerror());
		abort();
	}
}

void *fault_real_symbol(const char *entry)
{
	void *symbol = dlsym(real_library, entry);
	if (!symbol) {
		fprintf(stderr, "fault shim: the real library has no %s\n", entry);
		abort();
	}
	return symbol;
}

void dmabuf_faults_arm(const char *entry, int32_t error)
{
	snprintf(armed, sizeof(armed), "%s", entry);
	armed_error = error;
	fired = 0;
}

int32_t dmabuf_faults_disarm(void)
{
	armed[0] = '\0';
	int32_t was = fired;
	fired = 0;
	return was;
}
