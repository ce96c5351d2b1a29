/*
 * Failure messages of the synchronisation objects (fence pool, reservation
 * table, frame queues), in debug builds: the same "<function>: <rule>:
 * <details>" messages as the context's (report.c), delivered to the sink each
 * object was given with its *_set_report. These objects have no context of
 * their own (an ISR signals a fence without one), hence their own sink.
 */
#ifndef DMABUF_CORE_SYNC_REPORT_H
#define DMABUF_CORE_SYNC_REPORT_H

#include "internal.h"

#ifdef DMABUF_DEBUG
int dmabuf_sync_fail(dmabuf_report_fn report, void *user, int err, const char *fmt, ...);
/* @obj: any object with report / report_user members. Evaluates to @err. */
#define DMABUF_SYNC_FAIL(obj, err, ...) dmabuf_sync_fail((obj)->report, (obj)->report_user, (err), __VA_ARGS__)
#else
#define DMABUF_SYNC_FAIL(obj, err, ...) ((void)(obj), (err))
#endif

#endif /* DMABUF_CORE_SYNC_REPORT_H */
