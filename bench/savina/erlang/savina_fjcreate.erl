%% SPDX-License-Identifier: LGPL-2.1-or-later
%%
%% Fork-join actor creation (Savina "fjcreate"): the main process spawns N actors one after
%% the other and sends each one message; an actor does one performComputation (a sine) on
%% it and ends.
-module(savina_fjcreate).

-export([run/1]).

run(#{n := N}) ->
    Live = savina:live(N),
    spawn_all(N, Live, savina:theta()),
    savina:await(Live),
    {N, fun() -> ok end}.

spawn_all(0, _Live, _Theta) ->
    ok;
spawn_all(K, Live, Theta) ->
    Actor = spawn(fun() -> actor(Live, Theta) end),
    Actor ! work,
    spawn_all(K - 1, Live, Theta).

actor(Live, Theta) ->
    receive
        work ->
            savina:compute(Theta),
            savina:done(Live)
    end.
