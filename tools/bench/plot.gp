# Load cost against object size: libllext, dlopen and the floor (data from llext-bench --plot).
# gnuplot -e "data='bench.dat'; out='load-cost.png'" tools/bench/plot.gp
set terminal pngcairo size 900,560 font "sans,11"
set output out
set title "Load + find + unload cost against object size (medians)"
set xlabel "size of the relocatable object (.o), bytes"
set ylabel "microseconds"
set logscale xy
set grid
set key top left
set format x "%.0s%cB"
plot data using 1:2 smooth unique with linespoints pt 7 lw 2 title "libllext (file loader)", \
     data using 1:3 smooth unique with linespoints pt 5 lw 2 title "dlopen + dlclose of a copy of the .so", \
     data using 1:4 smooth unique with linespoints pt 9 lw 2 dt 2 title "floor: map, copy, protect, unmap"
