%% SPDX-License-Identifier: LGPL-2.1-or-later
%%
%% Chameneos (Savina "chameneos"): a mall spawns C chameneos coloured I rem 3; each sends
%% {meet, Colour, Self} to the mall. The mall keeps the first of a pair waiting and forwards
%% the second's meet to it, M times; after that it answers every meet with exit. A chameneo
%% that gets a forwarded meet takes the complement colour, sends it to the other in
%% {change, Colour}, and both go back to the mall. On exit a chameneo reports its count of
%% meetings; the mall checks that they add up to 2 M and ends.
-module(savina_chameneos).

-export([run/1]).

run(#{c := C, m := M}) ->
    Live = savina:live(1 + C),
    spawn(fun() -> mall_start(Live, C, M) end),
    savina:await(Live),
    {4 * M + 3 * C, fun() -> ok end}.

mall_start(Live, C, M) ->
    Mall = self(),
    lists:foreach(fun(I) -> spawn(fun() -> chameneo_start(Live, Mall, color(I rem 3)) end) end,
                  lists:seq(0, C - 1)),
    mall(Live, C, M, M, none, 0, 0).

color(0) -> red;
color(1) -> yellow;
color(2) -> blue.

mall(Live, C, M, Left, Waiting, Faded, Sum) ->
    receive
        {meet, _Color, From} = Meet ->
            if
                Left > 0, Waiting =:= none ->
                    mall(Live, C, M, Left, From, Faded, Sum);
                Left > 0 ->
                    Waiting ! Meet,
                    mall(Live, C, M, Left - 1, none, Faded, Sum);
                true ->
                    From ! exit,
                    mall(Live, C, M, Left, Waiting, Faded, Sum)
            end;
        {count, Meetings} when Faded + 1 =:= C ->
            case Sum + Meetings of
                Total when Total =:= 2 * M -> savina:done(Live);
                Total -> savina:check_failed("~B meetings counted, expected ~B", [Total, 2 * M])
            end;
        {count, Meetings} ->
            mall(Live, C, M, Left, Waiting, Faded + 1, Sum + Meetings)
    end.

chameneo_start(Live, Mall, Color) ->
    Mall ! {meet, Color, self()},
    chameneo(Live, Mall, Color, 0).

chameneo(Live, Mall, Color, Meetings) ->
    receive
        {meet, OtherColor, Other} ->
            NewColor = complement(Color, OtherColor),
            Other ! {change, NewColor},
            Mall ! {meet, NewColor, self()},
            chameneo(Live, Mall, NewColor, Meetings + 1);
        {change, NewColor} ->
            Mall ! {meet, NewColor, self()},
            chameneo(Live, Mall, NewColor, Meetings + 1);
        exit ->
            Mall ! {count, Meetings},
            savina:done(Live)
    end.

complement(faded, _) -> faded;
complement(_, faded) -> faded;
complement(Same, Same) -> Same;
complement(red, yellow) -> blue;
complement(red, blue) -> yellow;
complement(yellow, red) -> blue;
complement(yellow, blue) -> red;
complement(blue, red) -> yellow;
complement(blue, yellow) -> red.
