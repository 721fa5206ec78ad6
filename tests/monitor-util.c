/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <gio/gio.h>

#include "monitor-util.h"

void
test_place_init (TestPlace *place,
                 TestWhere  where)
{
  *place = (TestPlace) { where, NULL, NULL };
  if (where == TEST_WHERE_POOL)
    place->pool = gtasklet_pool_new (1);
  else if (where == TEST_WHERE_THREAD)
    place->worker = test_worker_new ("monitor-test");
}

void
test_place_clear (TestPlace *place)
{
  g_clear_object (&place->pool);
  g_clear_pointer (&place->worker, test_worker_free);
}

static void
start_there (gpointer data,
             gpointer user_data)
{
  gtasklet_tasklet_start (data);
}

void
test_place_start (TestPlace       *place,
                  GtaskletTasklet *tasklet)
{
  switch (place->where)
    {
    case TEST_WHERE_POOL:
      gtasklet_pool_start (place->pool, tasklet);
      break;
    case TEST_WHERE_THREAD:
      test_worker_call (place->worker, start_there, tasklet);
      break;
    case TEST_WHERE_HERE:
    default:
      gtasklet_tasklet_start (tasklet);
      break;
    }
}

/* Targets */

typedef struct
{
  GtaskletTasklet *to;
  guint            n_messages;
  TestEnd          end;
} Target;

static void
target_free (gpointer data)
{
  Target *target = data;

  g_clear_object (&target->to);
  g_free (target);
}

static gboolean
target_step (GtaskletTasklet  *tasklet,
             GObject          *event,
             gpointer          user_data,
             GError          **error)
{
  Target *target = user_data;

  if (event == NULL)
    {
      gtasklet_tasklet_receive (tasklet, (const char *[]) { "go", NULL }, NULL, NULL);
      return TRUE;
    }

  for (guint i = 0; target->to != NULL && i < target->n_messages; i++)
    {
      GValue v = G_VALUE_INIT;

      g_value_init (&v, G_TYPE_INT);
      g_value_set_int (&v, (int) i);
      g_assert_true (gtasklet_tasklet_send (target->to, "data", &v));
    }

  switch (target->end)
    {
    case TEST_END_ERROR:
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED, "target failed");
      return FALSE;
    case TEST_END_WAIT:
      gtasklet_tasklet_receive (tasklet, (const char *[]) { "never", NULL }, NULL, NULL);
      return TRUE;
    case TEST_END_NORMAL:
    default:
      return TRUE;
    }
}

GtaskletTasklet *
test_target_new (GtaskletTasklet *to,
                 guint            n_messages,
                 TestEnd          end)
{
  Target *target = g_new0 (Target, 1);

  target->to = to != NULL ? g_object_ref (to) : NULL;
  target->n_messages = n_messages;
  target->end = end;
  return gtasklet_tasklet_new (target_step, target, target_free);
}

/* Recorders */

static void
record_free (gpointer data)
{
  TestRecord *record = data;

  g_clear_error (&record->error);
  g_free (record);
}

TestRecorder *
test_recorder_new (TestFirstStep first,
                   gpointer      first_data)
{
  TestRecorder *recorder = g_new0 (TestRecorder, 1);

  recorder->records = g_ptr_array_new_with_free_func (record_free);
  recorder->first = first;
  recorder->first_data = first_data;
  return recorder;
}

void
test_recorder_free (TestRecorder *recorder)
{
  g_ptr_array_unref (recorder->records);
  g_free (recorder);
}

TestRecord *
test_recorder_last (TestRecorder *recorder)
{
  if (recorder->records->len == 0)
    return NULL;
  return g_ptr_array_index (recorder->records, recorder->records->len - 1);
}

gboolean
test_recorder_step (GtaskletTasklet  *tasklet,
               GObject          *event,
               gpointer          user_data,
               GError          **error)
{
  TestRecorder *recorder = user_data;

  if (event == NULL)
    {
      if (recorder->first != NULL)
        recorder->first (tasklet, recorder->first_data);
    }
  else if (GTASKLET_IS_MESSAGE (event))
    {
      GtaskletMessage *message = GTASKLET_MESSAGE (event);
      const GValue *value = gtasklet_message_get_value (message);
      TestRecord *record;

      if (g_str_equal (gtasklet_message_get_name (message), "stop"))
        return TRUE;

      record = g_new0 (TestRecord, 1);
      record->name = g_intern_string (gtasklet_message_get_name (message));
      record->sender = gtasklet_message_get_sender (message);
      record->has_value = value != NULL;
      if (value != NULL && G_VALUE_HOLDS (value, G_TYPE_ERROR))
        record->error = g_error_copy (g_value_get_boxed (value));
      else if (value != NULL && G_VALUE_HOLDS_INT (value))
        record->data = g_value_get_int (value);
      g_ptr_array_add (recorder->records, record);

      if (record->name == g_intern_static_string (GTASKLET_MESSAGE_DOWN))
        {
          g_atomic_int_inc ((int *) &recorder->n_down);
          if (recorder->n_down == recorder->finish_after_downs)
            return TRUE;
        }
      else if (record->name == g_intern_static_string (GTASKLET_MESSAGE_EXIT))
        g_atomic_int_inc ((int *) &recorder->n_exit);
      else if (record->name == g_intern_static_string ("data"))
        g_atomic_int_inc ((int *) &recorder->n_data);
    }

  gtasklet_tasklet_receive (tasklet, (const char *[]) { "*", NULL }, NULL, NULL);
  return TRUE;
}

GtaskletTasklet *
test_recorder_tasklet_new (TestRecorder *recorder)
{
  return gtasklet_tasklet_new (test_recorder_step, recorder, NULL);
}
