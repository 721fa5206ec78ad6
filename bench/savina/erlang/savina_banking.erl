%% SPDX-License-Identifier: LGPL-2.1-or-later
%%
%% Bank transaction (Savina "banking", the selective-receive variant): a teller spawns A
%% accounts; on start it sends N {credit, Teller, Amount, Dest} orders to pseudo-random
%% source accounts, always towards a destination with a higher number, so waits never form
%% a cycle. A source account debits itself, sends {debit, Self, Amount} to the destination and
%% then receives nothing but the destination's reply (everything else stays in its mailbox),
%% after which it sends reply to the teller. After N replies the teller sends stop to every
%% account. Amounts are integers (thousandths of Savina's 1000 / (R + 1)) so that the check
%% can replay the transfers and compare every balance exactly.
-module(savina_banking).

-include("savina.hrl").

-export([run/1]).

-define(INITIAL_BALANCE, 1000000000000).
-define(SEED, 123456).

run(#{a := A, n := N}) when A >= 10 ->
    Live = savina:live(1 + A),
    Balances = atomics:new(A, [{signed, true}]),
    Teller = spawn(fun() -> teller_start(Live, A, N, Balances) end),
    Teller ! start,
    savina:await(Live),
    {4 * N + A + 1, fun() -> check(A, N, Balances) end};
run(_) ->
    savina:check_failed("need at least 10 accounts", []).

teller_start(Live, A, N, Balances) ->
    Accounts = list_to_tuple([spawn(fun() -> account(Live, I, ?INITIAL_BALANCE, Balances) end)
                              || I <- lists:seq(0, A - 1)]),
    teller(Live, Accounts, A, N, 0).

teller(Live, Accounts, A, N, Completed) ->
    receive
        start ->
            send_credits(Accounts, A, N, ?SEED),
            teller(Live, Accounts, A, N, Completed);
        reply when Completed + 1 =:= N ->
            lists:foreach(fun(P) -> P ! stop end, tuple_to_list(Accounts)),
            savina:done(Live);
        reply ->
            teller(Live, Accounts, A, N, Completed + 1)
    end.

send_credits(_Accounts, _A, 0, _Random) ->
    ok;
send_credits(Accounts, A, K, Random) ->
    {Src, Dest, Amount, Random1} = next_transfer(A, Random),
    element(Src + 1, Accounts) ! {credit, self(), Amount, element(Dest + 1, Accounts)},
    send_credits(Accounts, A, K - 1, Random1).

%% The transfer Savina's teller generates next (generateWork).
next_transfer(A, R0) ->
    R1 = ?NEXT_RANDOM(R0),
    Src = R1 rem ((A div 10) * 8),
    R2 = ?NEXT_RANDOM(R1),
    Offset = case R2 rem (A - Src) of
                 0 -> 1;
                 O -> O
             end,
    R3 = ?NEXT_RANDOM(R2),
    {Src, Src + Offset, 1000000 div (R3 + 1), R3}.

account(Live, Id, Balance, Balances) ->
    receive
        {credit, Teller, Amount, Dest} ->
            Dest ! {debit, self(), Amount},
            receive
                reply -> Teller ! reply
            end,
            account(Live, Id, Balance - Amount, Balances);
        {debit, From, Amount} ->
            From ! reply,
            account(Live, Id, Balance + Amount, Balances);
        stop ->
            atomics:put(Balances, Id + 1, Balance),
            savina:done(Live)
    end.

check(A, N, Balances) ->
    Initial = maps:from_list([{I, ?INITIAL_BALANCE} || I <- lists:seq(0, A - 1)]),
    Expected = replay(A, N, ?SEED, Initial),
    lists:foreach(fun(I) ->
                          case {atomics:get(Balances, I + 1), maps:get(I, Expected)} of
                              {B, B} -> ok;
                              {B, E} -> savina:check_failed("account ~B has ~B, expected ~B",
                                                            [I, B, E])
                          end
                  end, lists:seq(0, A - 1)).

replay(_A, 0, _Random, Expected) ->
    Expected;
replay(A, K, Random, Expected) ->
    {Src, Dest, Amount, Random1} = next_transfer(A, Random),
    Expected1 = maps:update_with(Src, fun(B) -> B - Amount end, Expected),
    replay(A, K - 1, Random1, maps:update_with(Dest, fun(B) -> B + Amount end, Expected1)).
