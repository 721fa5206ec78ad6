%% SPDX-License-Identifier: LGPL-2.1-or-later
%%
%% Thread ring (Savina "threadring"): N actors; each first gets {next, Pid}, then the first
%% gets {ping, R}. {ping, K} with K > 0 goes on as {ping, K - 1}; {ping, 0} becomes
%% {exit, N - 1}; {exit, K} goes on as {exit, K - 1} while K > 0 and ends the actor.
-module(savina_threadring).

-export([run/1]).

run(#{n := N, r := R}) ->
    Live = savina:live(N),
    Pings = counters:new(1, [write_concurrency]),
    Nodes = [spawn(fun() -> node_start(Live, N, Pings) end) || _ <- lists:seq(1, N)],
    lists:foreach(fun({Node, Next}) -> Node ! {next, Next} end,
                  lists:zip(Nodes, tl(Nodes) ++ [hd(Nodes)])),
    hd(Nodes) ! {ping, R},
    savina:await(Live),
    Check = fun() ->
                    case counters:get(Pings, 1) of
                        P when P =:= R + 1 -> ok;
                        P -> savina:check_failed("~B pings, expected ~B", [P, R + 1])
                    end
            end,
    {N + R + 1 + N, Check}.

node_start(Live, N, Pings) ->
    receive
        {next, Next} -> node(Live, N, Next, Pings, 0)
    end.

node(Live, N, Next, Pings, Seen) ->
    receive
        {ping, 0} ->
            Next ! {exit, N - 1},
            node(Live, N, Next, Pings, Seen + 1);
        {ping, K} ->
            Next ! {ping, K - 1},
            node(Live, N, Next, Pings, Seen + 1);
        {exit, K} ->
            if K > 0 -> Next ! {exit, K - 1};
               true -> ok
            end,
            counters:add(Pings, 1, Seen),
            savina:done(Live)
    end.
