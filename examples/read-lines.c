/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Prints the first lines of a file through example_read_lines_async(), a GIO-style operation
 * implemented with a tasklet (see line-reader.c). Usage: read-lines FILE [MAX_LINES] */
#include <stdlib.h>

#include "line-reader.h"

static void
on_lines (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  GMainLoop *loop = user_data;
  g_autoptr (GError) error = NULL;
  g_auto (GStrv) lines = example_read_lines_finish (G_INPUT_STREAM (source), result, &error);

  if (lines == NULL)
    g_printerr ("read-lines: %s\n", error->message);
  else
    for (guint i = 0; lines[i] != NULL; i++)
      g_print ("%u: %s\n", i + 1, lines[i]);
  g_main_loop_quit (loop);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr (GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autoptr (GFile) file = NULL;
  g_autoptr (GFileInputStream) stream = NULL;
  g_autoptr (GError) error = NULL;

  if (argc < 2)
    {
      g_printerr ("usage: read-lines FILE [MAX_LINES]\n");
      return 2;
    }
  file = g_file_new_for_commandline_arg (argv[1]);
  stream = g_file_read (file, NULL, &error);
  if (stream == NULL)
    {
      g_printerr ("read-lines: %s\n", error->message);
      return 1;
    }
  example_read_lines_async (G_INPUT_STREAM (stream), argc > 2 ? atoi (argv[2]) : 10, 5000,
                            NULL, on_lines, loop);
  g_main_loop_run (loop);
  return 0;
}
