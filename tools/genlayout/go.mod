module canary-tracker/tools/genlayout

go 1.19
