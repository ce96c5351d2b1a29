/*
 * Failure messages of the peripheral adapters (firmware/adapters/).
 *
 * The adapters follow the core's rule (dmabuf.h): a failing call returns a
 * negative dmabuf_error and changes nothing; in DMABUF_DEBUG builds it also
 * hands one message naming the broken rule to the report function the caller
 * put in the adapter's configuration. Release builds drop the strings.
 *
 * Adapters run in interrupt context too: the report function may be called
 * from an ISR (only the *_start / *_set_* calls report; the event handlers
 * return codes without reporting).
 */
#ifndef DMABUF_ADAPTER_REPORT_H
#define DMABUF_ADAPTER_REPORT_H

#include "dmabuf/dmabuf.h"

/* Where an adapter's failure messages go; fn NULL = silent. */
struct dmabuf_adapter_report {
	dmabuf_report_fn fn;
	void *user;
};

#if defined(DMABUF_DEBUG)
static inline int dmabuf_adapter_fail(const struct dmabuf_adapter_report *report, int err,
				      const char *message)
{
	if (report && report->fn)
		report->fn(report->user, message);
	return err;
}
#define ADAPTER_FAIL(report, err, message) dmabuf_adapter_fail((report), (err), (message))
#else
#define ADAPTER_FAIL(report, err, message) ((void)(report), (err))
#endif

#endif /* DMABUF_ADAPTER_REPORT_H */
