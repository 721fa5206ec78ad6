%% SPDX-License-Identifier: LGPL-2.1-or-later
%%
%% Cigarette smokers (Savina "cigsmok"): an arbiter spawns S smokers; on start it sends
%% {smoke, Period} to a pseudo-random smoker, which answers started at once and then smokes
%% (busy-waits Period steps). Each started is a round; after R rounds the arbiter sends exit
%% to every smoker. Savina's busy wait calls Math.random() Period times; here a step is one
%% draw of Savina's PseudoRandom generator, as in the C version.
-module(savina_cigsmok).

-include("savina.hrl").

-export([run/1]).

run(#{r := R, s := S}) ->
    Live = savina:live(1 + S),
    Counters = counters:new(2, [write_concurrency]),
    Arbiter = spawn(fun() -> arbiter_start(Live, R, S, Counters) end),
    Arbiter ! start,
    savina:await(Live),
    {1 + 2 * R + S, fun() -> check(R, S, Counters) end}.

arbiter_start(Live, R, S, Counters) ->
    Arbiter = self(),
    Smokers = list_to_tuple([spawn(fun() -> smoker(Live, Arbiter, I, 0, 0, Counters) end)
                             || I <- lists:seq(0, S - 1)]),
    arbiter(Live, Smokers, S, R, R * S).

arbiter(Live, Smokers, S, RoundsLeft, Random) ->
    receive
        start ->
            arbiter(Live, Smokers, S, RoundsLeft, notify_random_smoker(Smokers, S, Random));
        started when RoundsLeft =< 1 ->
            lists:foreach(fun(P) -> P ! exit end, tuple_to_list(Smokers)),
            savina:done(Live);
        started ->
            arbiter(Live, Smokers, S, RoundsLeft - 1, notify_random_smoker(Smokers, S, Random))
    end.

notify_random_smoker(Smokers, S, R0) ->
    R1 = ?NEXT_RANDOM(R0),
    R2 = ?NEXT_RANDOM(R1),
    element(R1 rem S + 1, Smokers) ! {smoke, R2 rem 1000 + 10},
    R2.

smoker(Live, Arbiter, Random, Smoked, Waited, Counters) ->
    receive
        {smoke, Period} ->
            Arbiter ! started,
            smoker(Live, Arbiter, busy_wait(Period, Random), Smoked + 1, Waited + Period,
                   Counters);
        exit ->
            counters:add(Counters, 1, Smoked),
            counters:add(Counters, 2, Waited),
            savina:done(Live)
    end.

busy_wait(0, Random) ->
    Random;
busy_wait(K, Random) ->
    busy_wait(K - 1, ?NEXT_RANDOM(Random)).

check(R, S, Counters) ->
    Expected = expected_wait(R, R * S, 0),
    case {counters:get(Counters, 1), counters:get(Counters, 2)} of
        {R, Expected} -> ok;
        {Smoked, Waited} ->
            savina:check_failed("~B smoked, ~B busy-wait steps; expected ~B and ~B",
                                [Smoked, Waited, R, Expected])
    end.

expected_wait(0, _Random, Sum) ->
    Sum;
expected_wait(K, R0, Sum) ->
    R2 = ?NEXT_RANDOM(?NEXT_RANDOM(R0)),
    expected_wait(K - 1, R2, Sum + R2 rem 1000 + 10).
