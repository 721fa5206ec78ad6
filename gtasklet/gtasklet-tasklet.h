/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#if !defined (GTASKLET_INSIDE) && !defined (GTASKLET_COMPILATION)
# error "Only <gtasklet/gtasklet.h> can be included directly."
#endif

#include <gio/gio.h>

#include <gtasklet/gtasklet-types.h>
#include <gtasklet/gtasklet-version-macros.h>

G_BEGIN_DECLS

#define GTASKLET_TYPE_TASKLET (gtasklet_tasklet_get_type ())
GTASKLET_AVAILABLE_IN_ALL
G_DECLARE_DERIVABLE_TYPE (GtaskletTasklet, gtasklet_tasklet, GTASKLET, TASKLET, GObject)

/**
 * GtaskletRunFunc:
 * @tasklet: the tasklet whose step runs
 * @event: (nullable): what woke the tasklet: %NULL for the first step, the
 *   [class@Gtasklet.WaitCondition] that fired, or the accepted [class@Gtasklet.Message]
 * @user_data: the data given to [ctor@Gtasklet.Tasklet.new]
 * @error: return location for the error that fails the tasklet
 *
 * One step of a tasklet made with [ctor@Gtasklet.Tasklet.new]; the same contract as
 * [vfunc@Gtasklet.Tasklet.run].
 *
 * Returns: %TRUE to wait (if the step called [method@Gtasklet.Tasklet.wait]) or
 *   finish, %FALSE with @error set to fail the tasklet
 *
 * Since: 1.0
 */
typedef gboolean (*GtaskletRunFunc) (GtaskletTasklet  *tasklet,
                                     GObject          *event,
                                     gpointer          user_data,
                                     GError          **error);

struct _GtaskletTaskletClass
{
  GObjectClass parent_class;

  gboolean (*run) (GtaskletTasklet  *self,
                   GObject          *event,
                   GError          **error);

  /*< private >*/
  gpointer _reserved[13];
};

GTASKLET_AVAILABLE_IN_ALL
GtaskletTasklet       *gtasklet_tasklet_new           (GtaskletRunFunc        func,
                                                       gpointer               user_data,
                                                       GDestroyNotify         destroy) G_GNUC_WARN_UNUSED_RESULT;
GTASKLET_AVAILABLE_IN_ALL
GtaskletTasklet       *gtasklet_tasklet_new_full      (GCancellable          *cancellable,
                                                       GtaskletRunFunc        func,
                                                       gpointer               user_data,
                                                       GDestroyNotify         destroy) G_GNUC_WARN_UNUSED_RESULT;
GTASKLET_AVAILABLE_IN_ALL
void                   gtasklet_tasklet_start         (GtaskletTasklet       *self);
GTASKLET_AVAILABLE_IN_ALL
void                   gtasklet_tasklet_wait          (GtaskletTasklet       *self,
                                                       GtaskletWaitCondition *condition);
GTASKLET_AVAILABLE_IN_1_2
void                   gtasklet_tasklet_receive       (GtaskletTasklet       *self,
                                                       const char * const    *accept,
                                                       const char * const    *defer,
                                                       const char * const    *discard);
GTASKLET_AVAILABLE_IN_ALL
void                   gtasklet_tasklet_return_value  (GtaskletTasklet       *self,
                                                       const GValue          *value);
GTASKLET_AVAILABLE_IN_1_2
void                   gtasklet_tasklet_return_int    (GtaskletTasklet       *self,
                                                       int                    value);
GTASKLET_AVAILABLE_IN_1_2
void                   gtasklet_tasklet_return_boolean (GtaskletTasklet      *self,
                                                        gboolean              value);
GTASKLET_AVAILABLE_IN_1_2
void                   gtasklet_tasklet_return_string (GtaskletTasklet       *self,
                                                       const char            *value);
GTASKLET_AVAILABLE_IN_1_2
void                   gtasklet_tasklet_return_object (GtaskletTasklet       *self,
                                                       gpointer               object);
GTASKLET_AVAILABLE_IN_1_2
void                   gtasklet_tasklet_return_pointer (GtaskletTasklet      *self,
                                                        gpointer              data,
                                                        GDestroyNotify        destroy);
GTASKLET_AVAILABLE_IN_ALL
gboolean               gtasklet_tasklet_send_message  (GtaskletTasklet       *dest,
                                                       GtaskletMessage       *message);
GTASKLET_AVAILABLE_IN_1_2
gboolean               gtasklet_tasklet_forward_message (GtaskletTasklet     *dest,
                                                         GtaskletMessage     *message);
GTASKLET_AVAILABLE_IN_ALL
gboolean               gtasklet_tasklet_send          (GtaskletTasklet       *dest,
                                                       const char            *name,
                                                       const GValue          *value);
GTASKLET_AVAILABLE_IN_1_2
gboolean               gtasklet_tasklet_send_int      (GtaskletTasklet       *dest,
                                                       const char            *name,
                                                       int                    value);
GTASKLET_AVAILABLE_IN_1_2
gboolean               gtasklet_tasklet_send_string   (GtaskletTasklet       *dest,
                                                       const char            *name,
                                                       const char            *value);
GTASKLET_AVAILABLE_IN_1_2
gboolean               gtasklet_tasklet_send_variant  (GtaskletTasklet       *dest,
                                                       const char            *name,
                                                       GVariant              *value);
GTASKLET_AVAILABLE_IN_1_2
gboolean               gtasklet_tasklet_send_pointer  (GtaskletTasklet       *dest,
                                                       const char            *name,
                                                       gpointer               data,
                                                       GDestroyNotify         destroy);
GTASKLET_AVAILABLE_IN_ALL
GtaskletState          gtasklet_tasklet_get_state     (GtaskletTasklet       *self);
GTASKLET_AVAILABLE_IN_ALL
const GValue          *gtasklet_tasklet_get_result    (GtaskletTasklet       *self);
GTASKLET_AVAILABLE_IN_1_2
gpointer               gtasklet_tasklet_get_result_pointer (GtaskletTasklet  *self);
GTASKLET_AVAILABLE_IN_ALL
const GError          *gtasklet_tasklet_get_error     (GtaskletTasklet       *self);
GTASKLET_AVAILABLE_IN_1_2
gpointer               gtasklet_tasklet_get_user_data (GtaskletTasklet       *self);
GTASKLET_AVAILABLE_IN_ALL
guint                  gtasklet_tasklet_get_n_pending_messages (GtaskletTasklet *self);
GTASKLET_AVAILABLE_IN_ALL
GtaskletTasklet       *gtasklet_tasklet_get_current   (void);
GTASKLET_AVAILABLE_IN_ALL
GMainContext          *gtasklet_tasklet_get_context   (GtaskletTasklet       *self);
GTASKLET_AVAILABLE_IN_ALL
GCancellable          *gtasklet_tasklet_get_cancellable (GtaskletTasklet     *self);
GTASKLET_AVAILABLE_IN_ALL
void                   gtasklet_tasklet_cancel        (GtaskletTasklet       *self);
GTASKLET_AVAILABLE_IN_1_2
const char            *gtasklet_tasklet_get_name      (GtaskletTasklet       *self);
GTASKLET_AVAILABLE_IN_1_2
void                   gtasklet_tasklet_set_name      (GtaskletTasklet       *self,
                                                       const char            *name);
GTASKLET_AVAILABLE_IN_1_2
char                  *gtasklet_tasklet_describe      (GtaskletTasklet       *self) G_GNUC_WARN_UNUSED_RESULT;
GTASKLET_AVAILABLE_IN_1_2
GListModel            *gtasklet_tasklet_list_live     (void) G_GNUC_WARN_UNUSED_RESULT;
GTASKLET_AVAILABLE_IN_1_2
GListModel            *gtasklet_tasklet_list_model_for_context (GMainContext          *context)
                                                                G_GNUC_WARN_UNUSED_RESULT;
GTASKLET_AVAILABLE_IN_1_2
guint                  gtasklet_tasklet_monitor       (GtaskletTasklet       *self,
                                                       GtaskletTasklet       *target);
GTASKLET_AVAILABLE_IN_1_2
void                   gtasklet_tasklet_demonitor     (GtaskletTasklet       *self,
                                                       guint                  id);
GTASKLET_AVAILABLE_IN_1_2
void                   gtasklet_tasklet_link          (GtaskletTasklet       *self,
                                                       GtaskletTasklet       *other);
GTASKLET_AVAILABLE_IN_1_2
void                   gtasklet_tasklet_unlink        (GtaskletTasklet       *self,
                                                       GtaskletTasklet       *other);
GTASKLET_AVAILABLE_IN_1_2
gboolean               gtasklet_tasklet_get_trap_exits (GtaskletTasklet      *self);
GTASKLET_AVAILABLE_IN_1_2
void                   gtasklet_tasklet_set_trap_exits (GtaskletTasklet      *self,
                                                        gboolean              trap_exits);
GTASKLET_AVAILABLE_IN_ALL
void                   gtasklet_tasklet_join_async    (GtaskletTasklet       *self,
                                                       GCancellable          *cancellable,
                                                       GAsyncReadyCallback    callback,
                                                       gpointer               user_data);
GTASKLET_AVAILABLE_IN_ALL
void                   gtasklet_tasklet_start_with_task (GtaskletTasklet     *self,
                                                         GTask               *task);
GTASKLET_AVAILABLE_IN_ALL
const GValue          *gtasklet_tasklet_join_finish   (GtaskletTasklet       *self,
                                                       GAsyncResult          *result,
                                                       GError               **error);
GTASKLET_AVAILABLE_IN_1_2
GValue                *gtasklet_tasklet_join_finish_dup (GtaskletTasklet     *self,
                                                         GAsyncResult        *result,
                                                         GError             **error);
GTASKLET_AVAILABLE_IN_1_2
const GValue          *gtasklet_tasklet_run_until_finished (GtaskletTasklet  *self,
                                                            GError          **error);

G_END_DECLS
