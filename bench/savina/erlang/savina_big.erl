%% SPDX-License-Identifier: LGPL-2.1-or-later
%%
%% Big (Savina "big"): W workers and a sink. Everyone first gets {neighbors, Tuple}; then
%% every worker gets {pong, -1}. A worker answering a pong sends {ping, Id} to a
%% pseudo-random worker (itself included; generator seeded with its id) and expects the pong
%% back from that one; {ping, J} is answered with {pong, Id} to worker J. After N pings a
%% worker sends exit to the sink instead; when all W have, the sink sends exit to every worker.
-module(savina_big).

-include("savina.hrl").

-export([run/1]).

-record(worker, {live, id, n, w, sink, neighbors, random, sent = 0, expected = -1,
                 pongs = 0, answered = 0, counters}).

run(#{n := N, w := W}) ->
    Live = savina:live(1 + W),
    Counters = counters:new(1, [write_concurrency]),
    Sink = spawn(fun() -> sink_start(Live, W) end),
    Workers = [spawn(fun() ->
                             worker_start(#worker{live = Live, id = I, n = N, w = W, sink = Sink,
                                                  random = I, counters = Counters})
                     end)
               || I <- lists:seq(0, W - 1)],
    Neighbors = list_to_tuple(Workers),
    Sink ! {neighbors, Neighbors},
    lists:foreach(fun(P) -> P ! {neighbors, Neighbors} end, Workers),
    lists:foreach(fun(P) -> P ! {pong, -1} end, Workers),
    savina:await(Live),
    Check = fun() ->
                    case counters:get(Counters, 1) of
                        A when A =:= N * W -> ok;
                        A -> savina:check_failed("~B pings answered, expected ~B", [A, N * W])
                    end
            end,
    {2 * N * W + 4 * W + 1, Check}.

worker_start(S) ->
    receive
        {neighbors, Neighbors} -> worker(S#worker{neighbors = Neighbors})
    end.

worker(#worker{id = Id, neighbors = Neighbors} = S) ->
    receive
        {ping, From} ->
            element(From + 1, Neighbors) ! {pong, Id},
            worker(S#worker{answered = S#worker.answered + 1});
        {pong, From} when From =/= S#worker.expected ->
            savina:check_failed("worker ~B expected a pong from ~B, got one from ~B",
                                [Id, S#worker.expected, From]);
        {pong, _From} when S#worker.sent =:= S#worker.n ->
            S#worker.sink ! exit,
            worker(S#worker{pongs = S#worker.pongs + 1});
        {pong, _From} ->
            Random = ?NEXT_RANDOM(S#worker.random),
            Target = Random rem S#worker.w,
            element(Target + 1, Neighbors) ! {ping, Id},
            worker(S#worker{random = Random, expected = Target, sent = S#worker.sent + 1,
                            pongs = S#worker.pongs + 1});
        exit when S#worker.pongs =:= S#worker.n + 1 ->
            counters:add(S#worker.counters, 1, S#worker.answered),
            savina:done(S#worker.live);
        exit ->
            savina:check_failed("worker ~B got ~B pongs, expected ~B",
                                [Id, S#worker.pongs, S#worker.n + 1])
    end.

sink_start(Live, W) ->
    receive
        {neighbors, Neighbors} -> sink(Live, W, Neighbors, 0)
    end.

sink(Live, W, Neighbors, Exits) ->
    receive
        exit when Exits + 1 =:= W ->
            lists:foreach(fun(P) -> P ! exit end, tuple_to_list(Neighbors)),
            savina:done(Live);
        exit ->
            sink(Live, W, Neighbors, Exits + 1)
    end.
