# ruleid: eval-call
eval(data)
# ok: eval-call
literal_eval(data)
