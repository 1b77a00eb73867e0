# Speed of the method next to MMagic's inpaintors, OpenCV and the machine's measured limit:
#   python tools/benchmark.py configs/benchmarks/camvid_cpu.py [--device cpu|cuda|cuda:N]
#       [--threads N] [--skip-training]
#   (= python -m fr_inpaint_plugin.cli.benchmark)
from fr_inpaint_plugin.cli.benchmark import main

if __name__ == '__main__':
    main()
