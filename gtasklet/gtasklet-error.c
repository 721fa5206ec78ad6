/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include "gtasklet-error.h"

#include <gio/gio.h>

/**
 * gtasklet_error_quark:
 *
 * The quark of the [error@Gtasklet.Error] domain.
 *
 * The domain is registered with GDBus (`g_dbus_error_register_error_domain()`): over
 * D-Bus its errors are named `org.gnome.Gtasklet.Error.` and the code in camel case
 * (`org.gnome.Gtasklet.Error.UnknownTasklet`), and such errors come back as this domain.
 *
 * This function is thread-safe.
 *
 * Returns: the `GQuark` of `GTASKLET_ERROR`
 *
 * Since: 1.0
 */
GQuark
gtasklet_error_quark (void)
{
  static const GDBusErrorEntry entries[] = {
    { GTASKLET_ERROR_FAILED, "org.gnome.Gtasklet.Error.Failed" },
    { GTASKLET_ERROR_MISUSE, "org.gnome.Gtasklet.Error.Misuse" },
    { GTASKLET_ERROR_CONTEXT_DESTROYED, "org.gnome.Gtasklet.Error.ContextDestroyed" },
    { GTASKLET_ERROR_NOT_STARTED, "org.gnome.Gtasklet.Error.NotStarted" },
    { GTASKLET_ERROR_WRONG_THREAD, "org.gnome.Gtasklet.Error.WrongThread" },
    { GTASKLET_ERROR_LINKED, "org.gnome.Gtasklet.Error.Linked" },
    { GTASKLET_ERROR_RESTART_LIMIT, "org.gnome.Gtasklet.Error.RestartLimit" },
    { GTASKLET_ERROR_NO_CONNECTION, "org.gnome.Gtasklet.Error.NoConnection" },
    { GTASKLET_ERROR_UNKNOWN_TASKLET, "org.gnome.Gtasklet.Error.UnknownTasklet" },
    { GTASKLET_ERROR_NOT_SERIALIZABLE, "org.gnome.Gtasklet.Error.NotSerializable" },
  };
  static gsize quark = 0;

  /* Same quark as G_DEFINE_QUARK (gtasklet-error-quark, …) gave. */
  g_dbus_error_register_error_domain ("gtasklet-error-quark", &quark, entries,
                                      G_N_ELEMENTS (entries));
  return (GQuark) quark;
}
