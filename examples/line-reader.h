/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* An example of a GIO-style asynchronous operation implemented with a tasklet: reads lines
 * from a stream until end of file or @max_lines, failing with G_IO_ERROR_TIMED_OUT if no line
 * arrives within @line_timeout_ms. */
void   example_read_lines_async  (GInputStream         *stream,
                                  guint                 max_lines,
                                  guint                 line_timeout_ms,
                                  GCancellable         *cancellable,
                                  GAsyncReadyCallback   callback,
                                  gpointer              user_data);
GStrv  example_read_lines_finish (GInputStream         *stream,
                                  GAsyncResult         *result,
                                  GError              **error);

G_END_DECLS
