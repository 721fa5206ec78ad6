/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <gtasklet/gtasklet.h>

G_BEGIN_DECLS

/* A NULL-terminated array of names, for the lists of a WaitForMessages or a receive. */
#define TEST_NAMES(...) ((const char * const[]) { __VA_ARGS__, NULL })

/* Iterates the thread-default main context until *flag is TRUE or timeout_ms passes
 * (then the test fails). Tests never sleep: they wait for a condition. */
#define test_wait_until(flag, timeout_ms) \
  test_wait_until_impl (&(flag), (timeout_ms), G_STRFUNC, __LINE__, #flag)

void     test_wait_until_impl (const gboolean *flag,
                               guint           timeout_ms,
                               const char     *func,
                               int             line,
                               const char     *expr);

/* Iterates until a tasklet has finished. */
void     test_wait_finished   (GtaskletTasklet *tasklet,
                               guint            timeout_ms);

/* Runs the thread-default context without blocking until nothing is pending. */
void     test_drain           (void);

/* Fires @condition from an idle source of the thread-default context (as a main-loop event
 * would), iterating until it ran. Returns TRUE if the waiting tasklet's step ran inside that
 * fire (so it was no longer armed for it, or its state changed, when fire returned). */
gboolean test_fire_from_source (GtaskletWaitCondition *condition);

/* Starts a tasklet that waits on @condition and checks that it fails with that error. */
void     test_assert_wait_fails (GtaskletWaitCondition *condition,
                                 GQuark                 domain,
                                 int                    code);

/* Checks that @tasklet finished cancelled: with G_IO_ERROR_CANCELLED and no result. */
void     test_assert_cancelled (GtaskletTasklet *tasklet);

/* Calls @func from an idle source of the thread-default context (as a main-loop event
 * would), iterating until it ran. */
void     test_run_from_source  (void     (*func) (gpointer data),
                                gpointer   data);

/* Calls @func inside the first step of a short-lived tasklet; returns its state after start(). */
GtaskletState test_run_in_step (void     (*func) (gpointer data),
                                gpointer   data);

/* Sends a message named @name holding the int @value to @dest; returns what the send did. */
gboolean test_send_int            (GtaskletTasklet *dest,
                                   const char      *name,
                                   int              value);

/* Steps for the tests' tasklets. */

/* Waits on the condition in its user data, then finishes on its event. */
gboolean test_wait_once_step      (GtaskletTasklet  *tasklet,
                                   GObject          *event,
                                   gpointer          user_data,
                                   GError          **error);

/* A step that finishes at once. */
gboolean test_finish_at_once_step (GtaskletTasklet  *tasklet,
                                   GObject          *event,
                                   gpointer          user_data,
                                   GError          **error);

/* A step that fails at once with G_IO_ERROR_FAILED. */
gboolean test_fail_at_once_step   (GtaskletTasklet  *tasklet,
                                   GObject          *event,
                                   gpointer          user_data,
                                   GError          **error);

/* A step that finishes at once, returning the string @user_data. */
gboolean test_return_string_step  (GtaskletTasklet  *tasklet,
                                   GObject          *event,
                                   gpointer          user_data,
                                   GError          **error);

/* The user data of test_drop_step(). */
typedef struct
{
  GtaskletWaitCondition *dropped;
  GtaskletWaitCondition *idle;
} TestDrop;

/* A step that waits on `dropped` and `idle`, then finishes on `idle`, dropping `dropped`. */
gboolean test_drop_step           (GtaskletTasklet  *tasklet,
                                   GObject          *event,
                                   gpointer          user_data,
                                   GError          **error);

/* Callbacks that count into the guint, or set the gboolean, at @data. */

/* Increments the guint at @data: a GDestroyNotify, or a signal handler connected swapped. */
void     test_count               (gpointer data);

/* Sets the gboolean at @data: a GDestroyNotify, or a signal handler connected swapped. */
void     test_set_flag            (gpointer data);

/* A handler of signals without arguments ("fired", "finished"): increments the guint at @data. */
void     test_count_signal        (gpointer instance,
                                   gpointer data);

/* A handler of signals without arguments ("finished"): sets the gboolean at @data. */
void     test_flag_signal         (gpointer instance,
                                   gpointer data);

/* A "notify" handler: increments the guint at @data. */
void     test_count_notify        (GObject    *object,
                                   GParamSpec *pspec,
                                   gpointer    data);

/* A GWeakNotify: sets the gboolean at @data when the object goes. */
void     test_weak_notify_flag    (gpointer  data,
                                   GObject  *where_the_object_was);

/* A GSourceFunc that sets the gboolean at @data and removes its source. */
gboolean test_flag_source         (gpointer data);

G_END_DECLS
