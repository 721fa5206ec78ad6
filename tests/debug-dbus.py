#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""gtasklet-top against a real dbus-daemon: run under dbus-run-session by meson.

Starts tests/debug-target with GTASKLET_DEBUG=dbus,stats, then checks what `gtasklet-top`
reports (--list, --json, the refreshing display), that malformed calls get D-Bus errors
(dbus-send), and that a target whose main thread is blocked still answers. TAP output.

usage: debug-dbus.py GTASKLET_TOP DEBUG_TARGET
       debug-dbus.py GTASKLET_TOP --demo SEED_TEST   (the demo, examples/seed-test.c)
"""
import json
import os
import subprocess
import sys
import time

TOP, TARGET = sys.argv[1], sys.argv[2]
PREFIX = 'org.gnome.Gtasklet.Debug.p'
results = []


def check(name, ok, detail=''):
    results.append(ok)
    print(('ok' if ok else 'not ok') + ' %d %s' % (len(results), name))
    if not ok and detail:
        for line in str(detail).splitlines():
            print('# ' + line)


def top(*args, check_rc=True):
    proc = subprocess.run([TOP] + list(args), capture_output=True, text=True, timeout=60)
    if check_rc and proc.returncode != 0:
        raise RuntimeError('gtasklet-top %s: %d\n%s' % (' '.join(args), proc.returncode,
                                                         proc.stderr))
    return proc


def start_target(*args, program=None):
    env = dict(os.environ, GTASKLET_DEBUG='dbus,stats')
    proc = subprocess.Popen([program or TARGET] + list(args), stdout=subprocess.PIPE, env=env,
                            text=True)
    if program is None:
        assert proc.stdout.readline().strip() == 'ready'
    # The export happens on gtasklet's debug thread: wait for the name.
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        if (PREFIX + str(proc.pid)) in top('--list').stdout:
            return proc
        time.sleep(0.05)
    raise RuntimeError('the target never exported its debug interface')


def by_name(snapshot):
    return {t['name']: t for t in snapshot['tasklets'] if 'name' in t}


def main():
    print('1..15')
    target = start_target()
    blocked = None
    try:
        listing = top('--list').stdout
        check('--list shows the target with its program name',
              PREFIX + str(target.pid) in listing and 'debug-target' in listing, listing)

        snapshot = json.loads(top('--json', '--pid', str(target.pid)).stdout)
        tasklets = by_name(snapshot)
        check('--json: every thread answered, statistics on',
              snapshot['complete'] and snapshot['statistics'] and
              snapshot['pid'] == target.pid, snapshot)
        check('--json: the five named tasklets',
              sorted(tasklets) == ['inbox', 'pool-a', 'pool-b', 'sleeper', 'ticker'],
              sorted(tasklets))
        inbox = tasklets.get('inbox', {})
        check('inbox: suspended in a receive, three deferred messages',
              inbox.get('state') == 'suspended' and inbox.get('mailbox') == 3 and
              inbox.get('waits') == ['receive accept=[job] defer=[flush] discard=[]'], inbox)
        check('inbox: its steps are counted', inbox.get('steps', 0) >= 1, inbox)
        sleeper = tasklets.get('sleeper', {})
        check('sleeper: waits on a timeout',
              sleeper.get('mailbox') == 0 and len(sleeper.get('waits', [])) == 1 and
              sleeper['waits'][0].startswith('timeout 600000 ms'), sleeper)
        pool_a, pool_b = tasklets.get('pool-a', {}), tasklets.get('pool-b', {})
        check('pool tasklets: described on their workers',
              pool_a.get('mailbox') == 2 and pool_b.get('mailbox') == 0 and
              pool_a.get('tid') not in (None, target.pid) and
              pool_b.get('tid') not in (None, target.pid) and
              inbox.get('tid') == target.pid, (pool_a, pool_b))

        frames = top('--pid', str(target.pid), '-n', '2', '-d', '0.1', '--sort', 'mailbox').stdout
        rows = [line.split()[0] for line in frames.splitlines()
                if line and line.split()[0] in tasklets]
        check('display: two frames sorted by mailbox depth',
              frames.count('gtasklet-top - debug-target') == 2 and rows[:2] == ['inbox', 'pool-a'],
              frames)

        malformed = subprocess.run(
            ['dbus-send', '--session', '--print-reply', '--dest=' + PREFIX + str(target.pid),
             '/org/gnome/Gtasklet/Debug', 'org.gnome.Gtasklet.Debug1.GetTasklets',
             'string:everything'], capture_output=True, text=True, timeout=30)
        check('malformed call: InvalidArgs',
              malformed.returncode != 0 and
              'org.freedesktop.DBus.Error.InvalidArgs' in malformed.stderr, malformed.stderr)
        unknown = subprocess.run(
            ['dbus-send', '--session', '--print-reply', '--dest=' + PREFIX + str(target.pid),
             '/org/gnome/Gtasklet/Debug', 'org.gnome.Gtasklet.Debug1.Frobnicate'],
            capture_output=True, text=True, timeout=30)
        check('unknown method: UnknownMethod',
              unknown.returncode != 0 and 'UnknownMethod' in unknown.stderr, unknown.stderr)

        owner = subprocess.run(
            ['dbus-send', '--session', '--print-reply=literal', '--dest=org.freedesktop.DBus',
             '/org/freedesktop/DBus', 'org.freedesktop.DBus.GetNameOwner',
             'string:' + PREFIX + str(target.pid)],
            capture_output=True, text=True, timeout=30).stdout.strip()
        by_unique = json.loads(top('--json', '--bus-name', owner).stdout)
        check('--bus-name with the unique name', owner.startswith(':') and
              by_unique['pid'] == target.pid and len(by_unique['tasklets']) == 5, owner)

        blocked = start_target('--block-main')
        proc = top('--json', '--pid', str(blocked.pid), '--timeout', '300')
        snapshot = json.loads(proc.stdout)
        tasklets = by_name(snapshot)
        check('blocked main thread: answered, incomplete, one thread missing',
              not snapshot['complete'] and snapshot['unresponsive-threads'] == 1, snapshot)
        check('blocked main thread: its tasklets listed by name and state, flagged',
              all(not tasklets[n]['responsive'] and tasklets[n]['state'] == 'suspended' and
                  'mailbox' not in tasklets[n] for n in ('inbox', 'sleeper')), tasklets)
        check('blocked main thread: pool tasklets answered in full',
              all(tasklets[n]['responsive'] for n in ('pool-a', 'pool-b')) and
              tasklets['pool-a']['mailbox'] == 2, tasklets)

        # Both programs export: without --pid the tool cannot choose.
        ambiguous = top('--json', check_rc=False)
        check('two programs and no --pid: an error naming --list',
              ambiguous.returncode == 1 and '--list' in ambiguous.stderr, ambiguous.stderr)
    finally:
        for proc in (target, blocked):
            if proc is not None:
                proc.kill()
                proc.wait()
    return 0 if all(results) else 1


def demo(seed_test):
    """The demo while it runs: a parent racing a timeout against counting children."""
    print('1..3')
    proc = start_target('--rounds', '30', program=seed_test)
    try:
        snapshot = json.loads(top('--json', '--pid', str(proc.pid), '--timeout', '5000').stdout)
        tasklets = snapshot['tasklets']
        check('demo: every thread answered, some tasklets listed',
              snapshot['complete'] and snapshot['program'] == 'seed-test' and len(tasklets) >= 1,
              snapshot)
        check('demo: each tasklet described, suspended ones with their waits',
              all(t['responsive'] and 'mailbox' in t and
                  (t['state'] != 'suspended' or t['waits']) for t in tasklets), tasklets)
        frames = top('--pid', str(proc.pid), '-n', '2', '-d', '0.1', '--sort', 'total').stdout
        check('demo: the display refreshes', frames.count('gtasklet-top - seed-test') == 2,
              frames)
    finally:
        proc.kill()
        proc.wait()
    return 0 if all(results) else 1


if __name__ == '__main__':
    if TARGET == '--demo':
        sys.exit(demo(sys.argv[3]))
    sys.exit(main())
