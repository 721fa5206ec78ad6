%% SPDX-License-Identifier: LGPL-2.1-or-later

%% One step of Savina's PseudoRandom (benchmarks/PseudoRandom.java), the generator the C
%% programs use too, so that both do exactly the same work. A macro, not a call into
%% another module, so that busy loops stay local.
-define(NEXT_RANDOM(V), ((((V) * 1309) + 13849) band 65535)).
