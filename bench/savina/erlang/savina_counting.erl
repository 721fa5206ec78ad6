%% SPDX-License-Identifier: LGPL-2.1-or-later
%%
%% Counting actor (Savina "count"): on increment the producer sends N increments to the
%% counter, then {retrieve, Self}; the counter counts and answers {result, Count}.
-module(savina_counting).

-export([run/1]).

run(#{n := N}) ->
    Live = savina:live(2),
    Counter = spawn(fun() -> counter(Live, 0) end),
    Producer = spawn(fun() -> producer(Live, Counter, N) end),
    Producer ! increment,
    savina:await(Live),
    {N + 3, fun() -> ok end}.

producer(Live, Counter, N) ->
    receive
        increment ->
            send_increments(Counter, N),
            Counter ! {retrieve, self()},
            producer(Live, Counter, N);
        {result, N} ->
            savina:done(Live);
        {result, Count} ->
            savina:check_failed("the producer got ~B, expected ~B", [Count, N])
    end.

send_increments(_Counter, 0) ->
    ok;
send_increments(Counter, K) ->
    Counter ! increment,
    send_increments(Counter, K - 1).

counter(Live, Count) ->
    receive
        increment ->
            counter(Live, Count + 1);
        {retrieve, From} ->
            From ! {result, Count},
            savina:done(Live)
    end.
