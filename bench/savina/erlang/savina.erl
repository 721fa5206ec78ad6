%% SPDX-License-Identifier: LGPL-2.1-or-later
%%
%% erl -noshell [+S 1] -pa DIR -run savina main BENCH [KEY=VALUE]...
%%
%% Runs one Savina benchmark (Imam & Sarkar 2014) in Erlang/OTP, checks its result and prints
%%
%%   RESULT suite=savina bench=NAME impl=erlang schedulers=S K=V... wall_ms=... cpu_ms=... msgs=...
%%
%% Wall time is erlang:monotonic_time/1 around the workload; CPU is statistics(runtime): the
%% user + sys CPU time of the whole emulator (every thread, so schedulers spinning for work
%% count too), in whole milliseconds, around the workload only. A wrong result prints
%% "CHECK-FAILED ..." on stderr and halts with status 2. Parameters are KEY=VALUE, with
%% Savina's option letters as keys (erl would take "-n 5" as one of its own flags). See
%% ../README.md.
-module(savina).

-export([main/1, live/1, done/1, await/1, check_failed/2, theta/0, compute/1]).

-define(TIMEOUT_MS, 300000).

%% Savina's defaults, except Thread Ring's and Cigarette Smokers' rounds (see ../README.md).
benches() ->
    [{"counting", savina_counting, [{n, 1000000}]},
     {"fjthrput", savina_fjthrput, [{n, 10000}, {a, 60}]},
     {"fjcreate", savina_fjcreate, [{n, 40000}]},
     {"threadring", savina_threadring, [{n, 100}, {r, 1000000}]},
     {"chameneos", savina_chameneos, [{c, 100}, {m, 200000}]},
     {"big", savina_big, [{n, 20000}, {w, 120}]},
     {"banking", savina_banking, [{a, 1000}, {n, 50000}]},
     {"cigsmok", savina_cigsmok, [{r, 100000}, {s, 200}]}].

main([Name | Args]) ->
    case lists:keyfind(Name, 1, benches()) of
        {Name, Module, Defaults} ->
            persistent_term:put(savina_bench, Name),
            Params = parse(Args, maps:from_list(Defaults)),
            run(Name, Module, Defaults, Params);
        false ->
            usage()
    end;
main(_) ->
    usage().

usage() ->
    io:format(standard_error, "usage: erl -noshell -run savina main BENCH [KEY=VALUE]...~n"
              "benchmarks and default parameters: ~p~n", [benches()]),
    halt(64).

parse([[Key, $= | Value] | Rest], Params) ->
    K = list_to_atom([Key]),
    case {maps:is_key(K, Params), catch list_to_integer(Value)} of
        {true, V} when is_integer(V), V > 0 -> parse(Rest, Params#{K := V});
        _ -> usage()
    end;
parse([], Params) ->
    Params;
parse(_, _) ->
    usage().

run(Name, Module, Defaults, Params) ->
    %% Code is loaded on first use in interactive mode: load it now, outside the timing, as
    %% the C program resolves its classes before its workload.
    lists:foreach(fun(M) -> {module, M} = code:ensure_loaded(M) end,
                  [Module, atomics, counters, math, lists, maps]),
    {Cpu0, _} = statistics(runtime),
    Wall0 = erlang:monotonic_time(microsecond),
    {Msgs, Check} = Module:run(Params),
    Wall1 = erlang:monotonic_time(microsecond),
    {Cpu1, _} = statistics(runtime),
    ok = Check(),
    Sizes = [io_lib:format(" ~s=~B", [K, maps:get(K, Params)]) || {K, _} <- Defaults],
    io:format("RESULT suite=savina bench=~s impl=erlang schedulers=~B~s wall_ms=~.3f "
              "cpu_ms=~B msgs=~B~n",
              [Name, erlang:system_info(schedulers_online), Sizes, (Wall1 - Wall0) / 1000,
               Cpu1 - Cpu0, Msgs]),
    halt(0).

%% Savina's AkkaActorState.awaitTermination: every actor counts as live until it calls
%% done/1; the one that brings the count to zero tells the main process.
live(N) ->
    Ref = atomics:new(1, [{signed, false}]),
    ok = atomics:put(Ref, 1, N),
    {Ref, self()}.

done({Ref, Main}) ->
    case atomics:sub_get(Ref, 1, 1) of
        0 -> Main ! {savina_done, Ref}, ok;
        _ -> ok
    end.

await({Ref, _}) ->
    receive
        {savina_done, Ref} -> ok
    after ?TIMEOUT_MS ->
        check_failed("no end after ~B s, ~B actors still live",
                     [?TIMEOUT_MS div 1000, atomics:get(Ref, 1)])
    end.

check_failed(Format, Args) ->
    io:format(standard_error, "CHECK-FAILED suite=savina bench=~s impl=erlang: " ++ Format ++ "~n",
              [persistent_term:get(savina_bench) | Args]),
    halt(2).

%% performComputation of the fork-join benchmarks. theta/0 lives in this module so that
%% the compiler cannot fold math:sin/1 of a constant in the callers.
theta() ->
    37.2.

compute(Theta) ->
    S = math:sin(Theta),
    case S * S of
        R when R > 0 -> R;
        R -> check_failed("performComputation gave ~p", [R])
    end.
