%% SPDX-License-Identifier: LGPL-2.1-or-later
%%
%% Fork-join throughput (Savina "fjthrput"): A actors; the main process sends N messages to
%% each, round-robin; every message costs one performComputation (a sine) and an actor ends
%% after its N-th.
-module(savina_fjthrput).

-export([run/1]).

run(#{n := N, a := A}) ->
    Live = savina:live(A),
    Theta = savina:theta(),
    Actors = [spawn(fun() -> worker(Live, N, Theta) end) || _ <- lists:seq(1, A)],
    send_rounds(Actors, N),
    savina:await(Live),
    {N * A, fun() -> ok end}.

send_rounds(_Actors, 0) ->
    ok;
send_rounds(Actors, M) ->
    send_round(Actors),
    send_rounds(Actors, M - 1).

send_round([Actor | Rest]) ->
    Actor ! work,
    send_round(Rest);
send_round([]) ->
    ok.

worker(Live, 0, _Theta) ->
    savina:done(Live);
worker(Live, Left, Theta) ->
    receive
        work ->
            savina:compute(Theta),
            worker(Live, Left - 1, Theta)
    end.
