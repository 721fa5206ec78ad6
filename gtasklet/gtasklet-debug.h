/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#if !defined (GTASKLET_INSIDE) && !defined (GTASKLET_COMPILATION)
# error "Only <gtasklet/gtasklet.h> can be included directly."
#endif

#include <gio/gio.h>

#include <gtasklet/gtasklet-version-macros.h>

G_BEGIN_DECLS

GTASKLET_AVAILABLE_IN_1_2
gboolean gtasklet_debug_export   (GDBusConnection  *connection,
                                  GError          **error);
GTASKLET_AVAILABLE_IN_1_2
void     gtasklet_debug_unexport (GDBusConnection  *connection);

G_END_DECLS
