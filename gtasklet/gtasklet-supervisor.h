/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#if !defined (GTASKLET_INSIDE) && !defined (GTASKLET_COMPILATION)
# error "Only <gtasklet/gtasklet.h> can be included directly."
#endif

#include <gtasklet/gtasklet-tasklet.h>

G_BEGIN_DECLS

#define GTASKLET_TYPE_SUPERVISOR (gtasklet_supervisor_get_type ())
GTASKLET_AVAILABLE_IN_1_2
G_DECLARE_DERIVABLE_TYPE (GtaskletSupervisor, gtasklet_supervisor, GTASKLET, SUPERVISOR,
                          GtaskletTasklet)

/**
 * GtaskletChildFunc:
 * @supervisor: the [class@Gtasklet.Supervisor] (re)starting the child
 * @id: the child's id, as given to [method@Gtasklet.Supervisor.add_child]
 * @user_data: the data given to [method@Gtasklet.Supervisor.add_child]
 *
 * Makes a new tasklet for a child, each time the child starts or restarts. The supervisor
 * starts it.
 *
 * Returns: (transfer full) (nullable): a new, unstarted tasklet, or a new handle to a
 *   tasklet of another process ([method@Gtasklet.Node.spawn]), which is watched but not
 *   started here; %NULL counts as a failed start (which counts against the restart
 *   intensity)
 *
 * Since: 1.2
 */
typedef GtaskletTasklet *(*GtaskletChildFunc) (GtaskletSupervisor *supervisor,
                                               const char         *id,
                                               gpointer            user_data);

struct _GtaskletSupervisorClass
{
  GtaskletTaskletClass parent_class;

  /*< private >*/
  gpointer _reserved[8];
};

GTASKLET_AVAILABLE_IN_1_2
GtaskletSupervisor *gtasklet_supervisor_new       (GtaskletSupervisorStrategy  strategy,
                                                   guint                       intensity,
                                                   guint                       period_ms) G_GNUC_WARN_UNUSED_RESULT;
GTASKLET_AVAILABLE_IN_1_2
void                gtasklet_supervisor_add_child (GtaskletSupervisor         *self,
                                                   const char                 *id,
                                                   GtaskletChildFunc           func,
                                                   gpointer                    user_data,
                                                   GDestroyNotify              destroy,
                                                   GtaskletRestart             restart);
GTASKLET_AVAILABLE_IN_1_2
GtaskletTasklet    *gtasklet_supervisor_get_child (GtaskletSupervisor         *self,
                                                   const char                 *id);
GTASKLET_AVAILABLE_IN_1_2
guint               gtasklet_supervisor_get_n_restarts (GtaskletSupervisor    *self);

G_END_DECLS
