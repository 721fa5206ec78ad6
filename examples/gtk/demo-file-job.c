/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "demo-file-job.h"

/* About this many chunks per file, whatever its size. */
#define N_CHUNKS 20

struct _DemoFileJob
{
  DemoJob                parent_instance;

  int                    pc;
  GFile                 *file;
  guint                  pause_ms;
  goffset                size;
  goffset                done;
  gsize                  chunk_size;
  GInputStream          *stream;
  GChecksum             *checksum;
  GtaskletWaitCondition *io;
  GtaskletWaitCondition *pause;
};

G_DEFINE_FINAL_TYPE (DemoFileJob, demo_file_job, DEMO_TYPE_JOB)

static GAsyncResult *
io_result (DemoFileJob *self)
{
  return gtasklet_wait_for_async_get_result (GTASKLET_WAIT_FOR_ASYNC (self->io));
}

/* Each GIO call gets the tasklet's cancellable: cancelling the job ends it with
 * G_IO_ERROR_CANCELLED at once and cancels the pending call too; its late completion is
 * dropped by the condition. Variables declared inside the blocks below never cross a wait. */
static gboolean
demo_file_job_run (GtaskletTasklet  *tasklet,
                   GObject          *event,
                   GError          **error)
{
  DemoFileJob *self = DEMO_FILE_JOB (tasklet);
  GCancellable *cancellable = gtasklet_tasklet_get_cancellable (tasklet);

  GTASKLET_BEGIN (&self->pc);

  demo_job_report (DEMO_JOB (self), 0.0, "opening");
  g_file_query_info_async (self->file, G_FILE_ATTRIBUTE_STANDARD_SIZE, G_FILE_QUERY_INFO_NONE,
                           G_PRIORITY_DEFAULT, cancellable,
                           gtasklet_wait_for_async_callback, self->io);
  GTASKLET_WAIT (tasklet, &self->pc, self->io);
  {
    g_autoptr (GFileInfo) info = g_file_query_info_finish (self->file, io_result (self), error);

    if (info == NULL)
      return FALSE;
    self->size = g_file_info_get_size (info);
    self->chunk_size = MAX (256, self->size / N_CHUNKS + 1);
  }

  gtasklet_wait_for_async_reset (GTASKLET_WAIT_FOR_ASYNC (self->io));
  g_file_read_async (self->file, G_PRIORITY_DEFAULT, cancellable,
                     gtasklet_wait_for_async_callback, self->io);
  GTASKLET_WAIT (tasklet, &self->pc, self->io);
  self->stream = G_INPUT_STREAM (g_file_read_finish (self->file, io_result (self), error));
  if (self->stream == NULL)
    return FALSE;

  for (;;)
    {
      gtasklet_wait_for_async_reset (GTASKLET_WAIT_FOR_ASYNC (self->io));
      g_input_stream_read_bytes_async (self->stream, self->chunk_size, G_PRIORITY_DEFAULT,
                                       cancellable, gtasklet_wait_for_async_callback, self->io);
      GTASKLET_WAIT (tasklet, &self->pc, self->io);
      {
        g_autoptr (GBytes) bytes = g_input_stream_read_bytes_finish (self->stream,
                                                                     io_result (self), error);
        g_autofree char *done = NULL;
        g_autofree char *size = NULL;
        g_autofree char *text = NULL;

        if (bytes == NULL)
          return FALSE;
        if (g_bytes_get_size (bytes) == 0)
          break;
        g_checksum_update (self->checksum, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
        self->done += g_bytes_get_size (bytes);
        done = g_format_size (self->done);
        size = g_format_size (self->size);
        text = g_strdup_printf ("%s of %s", done, size);
        demo_job_report (DEMO_JOB (self),
                         self->size > 0 ? MIN (1.0, (double) self->done / self->size) : 1.0,
                         text);
      }
      GTASKLET_WAIT (tasklet, &self->pc, self->pause);
    }

  if (!g_input_stream_close (self->stream, cancellable, error))
    return FALSE;
  {
    g_autofree char *summary = g_strdup_printf ("%" G_GOFFSET_FORMAT " bytes, sha256 %s",
                                                self->done,
                                                g_checksum_get_string (self->checksum));

    demo_job_return_string (DEMO_JOB (self), summary);
  }

  GTASKLET_END (&self->pc);
}

static void
demo_file_job_dispose (GObject *object)
{
  DemoFileJob *self = DEMO_FILE_JOB (object);

  g_clear_object (&self->stream);
  g_clear_object (&self->io);
  g_clear_object (&self->pause);
  g_clear_object (&self->file);

  G_OBJECT_CLASS (demo_file_job_parent_class)->dispose (object);
}

static void
demo_file_job_finalize (GObject *object)
{
  DemoFileJob *self = DEMO_FILE_JOB (object);

  g_checksum_free (self->checksum);

  G_OBJECT_CLASS (demo_file_job_parent_class)->finalize (object);
}

static void
demo_file_job_class_init (DemoFileJobClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = demo_file_job_dispose;
  object_class->finalize = demo_file_job_finalize;
  GTASKLET_TASKLET_CLASS (klass)->run = demo_file_job_run;
}

static void
demo_file_job_init (DemoFileJob *self)
{
  self->checksum = g_checksum_new (G_CHECKSUM_SHA256);
  self->io = gtasklet_wait_for_async_new ();
}

DemoJob *
demo_file_job_new (const char      *id,
                   GtaskletTasklet *coordinator,
                   GFile           *file,
                   guint            pause_ms)
{
  DemoFileJob *self;

  g_return_val_if_fail (G_IS_FILE (file), NULL);

  self = g_object_new (DEMO_TYPE_FILE_JOB,
                       "id", id,
                       "title", "File read",
                       "coordinator", coordinator,
                       NULL);
  self->file = g_object_ref (file);
  self->pause_ms = pause_ms;
  self->pause = gtasklet_wait_for_timeout_new (pause_ms);
  return DEMO_JOB (self);
}
