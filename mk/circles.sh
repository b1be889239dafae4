#!/bin/sh
# mk/circles.sh OBJDIR... -- finds call circles between the files of one
# directory: file A uses a function (or variable) that file B defines, and B,
# directly or through other files of the same directory, uses one that A
# defines. Dependencies inside a room should point one way, like those
# between rooms; a circle means two files that cannot be read, tested or
# replaced apart.
#
# It reads the symbol tables of the objects (nm: an upper-case type other
# than U defines a global symbol, U uses one), so it sees exactly what the
# linker sees, macros and headers aside. Each OBJDIR is looked at on its
# own (build/obj/reference, build/obj/runners, ...); edges to other
# directories are not circles here. An object whose dependency file (.d,
# from -MMD) names a source that no longer exists is stale and skipped.
#
# For every circle it prints the files in it, the uses that close it
# (A -> B: the symbols of B that A uses) and one shortest cycle; with none,
# one line that says so. Exit 0 when there is none, 1 when there is one,
# 2 on bad arguments.
#
#   make -j2 && sh mk/circles.sh build/obj/reference build/obj/runners
set -u
if [ $# -eq 0 ]; then
    echo "usage: sh mk/circles.sh OBJDIR..." >&2
    exit 2
fi
status=0
tmp=$(mktemp) || exit 2
trap 'rm -f "$tmp"' EXIT
for dir in "$@"; do
    if [ ! -d "$dir" ]; then
        echo "mk/circles.sh: '$dir' is not a directory" >&2
        exit 2
    fi
    objs=""
    for o in "$dir"/*.o; do
        [ -f "$o" ] || continue
        d=${o%.o}.d
        if [ -f "$d" ]; then
            # The first prerequisite of the rule is the source file.
            src=$(sed -n '1s/^[^:]*:[ \\]*\([^ \\]*\).*/\1/p' "$d")
            if [ -n "$src" ] && [ ! -f "$src" ]; then
                echo "mk/circles.sh: skipping stale $o ($src is gone)" >&2
                continue
            fi
        fi
        objs="$objs $o"
    done
    if [ -z "$objs" ]; then
        echo "mk/circles.sh: no objects in '$dir' (build first: make -j2)" >&2
        exit 2
    fi
    # shellcheck disable=SC2086
    if ! nm -A -g $objs >"$tmp" 2>/dev/null; then
        echo "mk/circles.sh: nm failed on the objects of '$dir'" >&2
        exit 2
    fi
    awk -v dir="$dir" '
    # "path/a.o:0000000000000010 T name" or "path/a.o:                 U name"
    {
        split($0, head, ":");
        file = head[1];
        sub(/.*\//, "", file);
        type = $(NF - 1);
        sym = $NF;
        if (!(file in known)) {
            known[file] = 1;
            node[++n] = file;
            idx[file] = n;
        }
        if (type == "U")
            uses[++nu] = file SUBSEP sym;
        else if (type ~ /^[A-Z]$/)
            def[sym] = (sym in def) ? def[sym] SUBSEP file : file;
    }
    END {
        # A symbol defined in several files (a hook each test program
        # defines, say) is an edge to each of them.
        for (k = 1; k <= nu; k++) {
            split(uses[k], u, SUBSEP);
            if (!(u[2] in def))
                continue;
            nd = split(def[u[2]], definers, SUBSEP);
            for (q = 1; q <= nd; q++) {
                if (definers[q] == u[1])
                    continue;
                a = idx[u[1]];
                b = idx[definers[q]];
                if (!((a, b) in edge)) {
                    edge[a, b] = 1;
                    nsyms[a, b] = 0;
                    syms[a, b] = "";
                }
                nsyms[a, b]++;
                if (nsyms[a, b] <= 4)
                    syms[a, b] = syms[a, b] (nsyms[a, b] > 1 ? ", " : "") u[2];
            }
        }
        # Reachability by a depth-first walk from every node.
        for (s = 1; s <= n; s++) {
            top = 0;
            stack[++top] = s;
            while (top > 0) {
                v = stack[top--];
                for (w = 1; w <= n; w++)
                    if ((v, w) in edge && !((s, w) in reach)) {
                        reach[s, w] = 1;
                        stack[++top] = w;
                    }
            }
        }
        found = 0;
        for (s = 1; s <= n; s++) {
            if (s in done || !((s, s) in reach))
                continue;
            members = "";
            m = 0;
            for (w = 1; w <= n; w++)
                if ((s, w) in reach && (w, s) in reach) {
                    comp[++m] = w;
                    done[w] = 1;
                    members = members " " node[w];
                }
            found++;
            printf "%s: circle of %d files:%s\n", dir, m, members;
            for (i = 1; i <= m; i++)
                for (j = 1; j <= m; j++) {
                    a = comp[i];
                    b = comp[j];
                    if (!((a, b) in edge))
                        continue;
                    more = "";
                    if (nsyms[a, b] > 4)
                        more = sprintf(" (+%d more)", nsyms[a, b] - 4);
                    printf "    %s -> %s: %s%s\n", node[a], node[b], syms[a, b], more;
                }
            # One shortest cycle through s (breadth first inside the circle).
            for (i = 1; i <= m; i++) {
                insc[comp[i]] = s;
                delete prev[comp[i]];
            }
            qh = 1;
            qt = 0;
            queue[++qt] = s;
            back = 0;
            while (qh <= qt && !back) {
                v = queue[qh++];
                for (w = 1; w <= n; w++) {
                    if (!((v, w) in edge) || insc[w] != s)
                        continue;
                    if (w == s) {
                        back = v;
                        break;
                    }
                    if (!(w in prev)) {
                        prev[w] = v;
                        queue[++qt] = w;
                    }
                }
            }
            path = node[s];
            for (v = back; v != s; v = prev[v])
                path = node[v] " -> " path;
            printf "    cycle: %s -> %s\n", node[s], path;
        }
        exit found ? 1 : 0;
    }' "$tmp" || status=1
done
if [ $status -eq 0 ]; then
    echo "circles: none between the files of any of the $# directories"
fi
exit $status
